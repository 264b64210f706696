//! The check's input: what the applicant or the clerk submits.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

pub use crate::channel::Channel;
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
    #[cfg_attr(feature = "wasm", tsify(type = "Record<string, MaterialSubmission>"))]
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
    /// The office tried to obtain a shareable material and could not (the reason in `note`):
    /// only then is it the applicant's to hand in (《国务院关于在线政务服务的若干规定》§7).
    SharingFailed,
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

/// A clerk's note within [`MAX_NOTE_CHARS`] characters; `note_too_long` otherwise (the caller
/// sets `at`). The server checks a note against it when the note is written, so that a note
/// stored is one a later decision accepts.
pub fn check_note(note: &str) -> Result<(), crate::Error> {
    let chars = note.chars().count();
    if chars <= MAX_NOTE_CHARS {
        return Ok(());
    }
    Err(crate::Error::new(
        crate::ErrorCode::NoteTooLong,
        format!(
            "材料备注过长（{chars} 个字符），上限为 {MAX_NOTE_CHARS} 个字符：请只写明问题，如“未加盖公章”。"
        ),
        format!(
            "The note on a material is too long ({chars} characters); the limit is {MAX_NOTE_CHARS}: name the flaw only, e.g. \"no official seal\"."
        ),
    ))
}

impl Submission {
    /// Limits serde cannot express: the length of each clerk's note (`note_too_long`, `at` the
    /// note).
    pub fn validate(&self) -> Result<(), crate::Error> {
        // The first too-long note in id order (the order the error has always named).
        for (id, m) in self.materials.iter() {
            if let Some(note) = &m.note {
                check_note(note)
                    .map_err(|e| e.at(format!("/materials/{}/note", pointer_token(id))))?;
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
/// An object of submitted values by id, with unique keys, in the order given. Read in one pass:
/// duplicates are found by a scan while the object is small and by a hash index from
/// [`INDEX_FROM`] entries on, so parsing n ids costs O(n) (a sorted map cost O(n log n) string
/// comparisons, the only superlinear step of a check). Serialized with its keys sorted, as a
/// map.
/// (In TypeScript: `Record<string, V>`, given on each field that holds one.)
#[derive(Debug, Clone)]
pub struct UniqueMap<V> {
    entries: Vec<(String, V)>,
    index: Option<std::collections::HashMap<String, usize>>,
}

/// From this many entries on, a [`UniqueMap`] keeps a hash index.
const INDEX_FROM: usize = 16;

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            index: None,
        }
    }
}

impl<V> UniqueMap<V> {
    /// The entries, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.entries[i].1),
            None => self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        }
    }

    /// Keeps the entries for which `keep` holds, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &V) -> bool) {
        self.entries.retain(|(k, v)| keep(k, v));
        self.reindex();
    }

    /// Sets the value of `key`, replacing the one it had.
    pub fn set(&mut self, key: String, value: V) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => {
                self.insert(key, value);
            }
        }
    }

    fn reindex(&mut self) {
        self.index = (self.entries.len() >= INDEX_FROM).then(|| {
            let index = self.entries.iter().enumerate();
            index.map(|(i, (k, _))| (k.clone(), i)).collect()
        });
    }

    /// Adds an entry; `false` (and nothing added) if the key is already there.
    pub fn insert(&mut self, key: String, value: V) -> bool {
        if self.get(&key).is_some() {
            return false;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            let index = self.entries.iter().enumerate();
            self.index = Some(index.map(|(i, (k, _))| (k.clone(), i)).collect());
        }
        true
    }
}

impl<V: Serialize> Serialize for UniqueMap<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut sorted: Vec<&(String, V)> = self.entries.iter().collect();
        crate::order::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
        let mut map = serializer.serialize_map(Some(sorted.len()))?;
        for (key, value) in sorted {
            map.serialize_entry(key, value)?;
        }
        map.end()
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
                let mut map = UniqueMap::default();
                while let Some((key, value)) = access.next_entry::<String, V>()? {
                    if map.get(&key).is_some() {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    map.insert(key, value);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(UniqueVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `retain` and `set` keep the lookup right on both sides of the hash-index threshold.
    #[test]
    fn unique_map_retain_and_set_keep_lookups_right() {
        for n in [3, INDEX_FROM + 4] {
            let mut map = UniqueMap::default();
            for i in 0..n {
                assert!(map.insert(format!("k{i}"), i));
            }
            map.set("k1".into(), 100);
            map.set("new".into(), 7);
            assert_eq!(map.get("k1"), Some(&100));
            assert_eq!(map.len(), n + 1);
            map.retain(|k, _| k != "k0");
            assert_eq!(map.get("k0"), None);
            assert_eq!(map.get("new"), Some(&7));
            assert_eq!(map.get(&format!("k{}", n - 1)), Some(&(n - 1)));
            assert!(!map.insert("k1".into(), 0), "still unique after retain");
        }
    }

    #[test]
    fn unique_map_refuses_duplicates_small_and_indexed() {
        for n in [1, INDEX_FROM - 1, INDEX_FROM, 3 * INDEX_FROM] {
            let keys: Vec<String> = (0..n).map(|i| format!("k{:03}", n - i)).collect();
            let body: Vec<String> = keys.iter().map(|k| format!("\"{k}\": 1")).collect();
            let ok = format!("{{{}}}", body.join(","));
            let map: UniqueMap<u32> = serde_json::from_str(&ok).unwrap();
            assert_eq!(map.len(), n);
            assert!(keys.iter().all(|k| map.get(k) == Some(&1)));
            assert_eq!(map.get("nope"), None);
            // In the order given; serialized sorted.
            assert_eq!(map.keys().next(), keys.first());
            let mut sorted = keys.clone();
            sorted.sort();
            let out: serde_json::Value = serde_json::to_value(&map).unwrap();
            let out_keys: Vec<&String> = out.as_object().unwrap().keys().collect();
            assert_eq!(out_keys, sorted.iter().collect::<Vec<_>>());
            // The first key again, at the end: refused whatever the size.
            let dup = format!("{{{},\"{}\": 2}}", body.join(","), keys[0]);
            let err = serde_json::from_str::<UniqueMap<u32>>(&dup).unwrap_err();
            assert!(err.to_string().contains("duplicate key"), "{n}: {err}");
        }
    }

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
