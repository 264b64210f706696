//! The check's input: what the applicant or the clerk submits.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::ApplicantKind;

/// Largest submission the engine reads, in bytes of JSON.
pub const MAX_SUBMISSION_BYTES: usize = 256 * 1024;
/// Most special-procedure pauses one check accepts.
pub const MAX_PAUSES: usize = 50;
/// Longest clerk's note on a material, in characters: a note names a flaw ("未加盖公章"), and
/// the verdict repeats it, so a long one would multiply the size of every answer.
pub const MAX_NOTE_CHARS: usize = 200;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub applicant: Applicant,
    /// How the application arrived (办理形式); decides the acceptance day.
    #[serde(default)]
    pub channel: Channel,
    /// The instant of receipt, RFC 3339 with an offset; interpreted in China time (UTC+8).
    /// May be left out when the caller supplies it in the options (the server always does).
    #[serde(default)]
    pub received_at: Option<String>,
    /// Field values by field id: strings, numbers or booleans.
    #[serde(default)]
    #[cfg_attr(
        feature = "wasm",
        tsify(type = "Record<string, string | number | boolean | null>")
    )]
    pub fields: UniqueMap<serde_json::Value>,
    /// Materials by material id; a material not listed counts as missing.
    #[serde(default)]
    pub materials: UniqueMap<MaterialSubmission>,
    /// The applicant signs the 容缺受理信用承诺书.
    #[serde(default)]
    pub pledge_signed: bool,
    /// Special procedures (特别程序) whose time does not count (行政许可法 §45).
    #[serde(default)]
    pub pauses: Vec<PauseSubmission>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub kind: ApplicantKind,
    /// The applicant is on a bad-credit (失信) list and has not repaired it.
    #[serde(default)]
    pub bad_credit: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 窗口办理
    #[default]
    Window,
    /// 网上办理 (computer or mobile)
    Online,
    /// 自助终端
    Kiosk,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct MaterialSubmission {
    pub status: MaterialStatus,
    /// What was handed in: original, copy or both. Checked against the rule when given.
    #[serde(default)]
    pub form: Option<SubmittedForm>,
    /// Paper or electronic. Checked against the rule when given.
    #[serde(default)]
    pub medium: Option<SubmittedMedium>,
    /// The clerk's note on a flaw (瑕疵), e.g. "未加盖公章".
    #[serde(default)]
    pub note: Option<String>,
    /// `status = "shared"`: the licence number (证照编号) or shared-record reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The number of copies handed in, when the clerk counts them; checked against the rule's
    /// `copies`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum MaterialStatus {
    Provided,
    Flawed,
    Missing,
    /// Obtained by the office itself, by data sharing or from the electronic licence system
    /// (免提交); give the `reference`.
    Shared,
    /// Replaced by the applicant's written commitment (告知承诺).
    Committed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum SubmittedForm {
    Original,
    Copy,
    OriginalAndCopy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum SubmittedMedium {
    Paper,
    Electronic,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct PauseSubmission {
    pub procedure: SpecialProcedure,
    /// First paused day, `YYYY-MM-DD`.
    pub from: String,
    /// Last paused day, inclusive.
    pub to: String,
}

/// 特别程序 (行政许可法 §45, plus site survey and public notice as practised).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum SpecialProcedure {
    Hearing,
    Tender,
    Auction,
    Inspection,
    Testing,
    Quarantine,
    Appraisal,
    ExpertReview,
    SiteSurvey,
    PublicNotice,
}

impl Submission {
    /// Limits serde cannot express: the length of each clerk's note (`note_too_long`, `at` the
    /// note).
    pub fn validate(&self) -> Result<(), crate::Error> {
        for (id, material) in &self.materials.0 {
            let Some(note) = &material.note else { continue };
            let chars = note.chars().count();
            if chars > MAX_NOTE_CHARS {
                return Err(crate::Error::new(
                    crate::ErrorCode::NoteTooLong,
                    format!(
                        "材料备注过长（{chars} 个字符），上限为 {MAX_NOTE_CHARS} 个字符：请只写明问题，如“未加盖公章”。"
                    ),
                    format!(
                        "The note on a material is too long ({chars} characters); the limit is {MAX_NOTE_CHARS}: name the flaw only, e.g. \"no official seal\"."
                    ),
                )
                .at(format!("/materials/{}/note", pointer_token(id))));
            }
        }
        Ok(())
    }
}

/// A key as a JSON pointer token (RFC 6901: `~` → `~0`, `/` → `~1`).
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Values the caller sets over the submission: the server's own clock, the channel it saw.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct CheckOptions {
    #[serde(default)]
    pub received_at: Option<String>,
    #[serde(default)]
    pub channel: Option<Channel>,
}

/// A JSON object whose keys must be unique: a duplicated key would silently drop data, so it
/// is an input error instead.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct UniqueMap<V>(pub BTreeMap<String, V>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UniqueVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueVisitor<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object with unique keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = BTreeMap::new();
                while let Some((key, value)) = access.next_entry::<String, V>()? {
                    if map.contains_key(&key) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    map.insert(key, value);
                }
                Ok(UniqueMap(map))
            }
        }
        deserializer.deserialize_map(UniqueVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_note(note: &str) -> Submission {
        let json = serde_json::json!({
            "applicant": {"kind": "natural_person"},
            "materials": {"a/b~c": {"status": "flawed", "note": note}},
        });
        serde_json::from_value(json).expect("a submission")
    }

    #[test]
    fn notes_up_to_the_limit_pass_and_longer_ones_point_at_the_note() {
        assert!(with_note(&"章".repeat(MAX_NOTE_CHARS)).validate().is_ok());
        let error = with_note(&"章".repeat(MAX_NOTE_CHARS + 1))
            .validate()
            .expect_err("too long");
        assert_eq!(error.code, crate::ErrorCode::NoteTooLong);
        assert_eq!(error.at.as_deref(), Some("/materials/a~1b~0c/note"));
        assert!(error.message.zh.contains("201"));
    }
}
