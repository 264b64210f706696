//! The compact check: what a form needs on every keystroke — the outcome, each finding's code
//! and target, the checklist flags and whether the pledge is available — and no prose. It runs
//! the same check as the full verdict (one engine, one decision) but does not render the
//! notice, and prints one line of JSON. `compact(verdict)` is a projection of the full verdict,
//! so the two can never disagree (tests/conformance.rs checks it on every case).
//!
//! `words` fingerprints the sentences the verdict says about the answers (findings, exemptions,
//! condition hints), which may quote what was typed (a length, a flaw note, a reference): a form
//! that kept the last full verdict needs a new one exactly when the compact verdict changes or
//! the day and time of receipt it shows do.

use serde::Serialize;

use crate::error::{Error, ErrorCode, Result};

use crate::model::Text;
use crate::submission::MaterialStatus;
use crate::verdict::{Applies, FindingCode, Normalized, Outcome, PledgeBlock, Target, Verdict};

/// The compact verdict (`checkCompact`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactVerdict {
    pub outcome: Outcome,
    /// The rule version checked against, and the rules it comes from.
    pub version: String,
    pub rules_digest: String,
    /// The signed bundle's revision (as in the full verdict), or null.
    pub rules_revision: Option<String>,
    pub findings: Vec<CompactFinding>,
    pub fields: Vec<CompactField>,
    pub materials: Vec<CompactMaterial>,
    pub pledge: CompactPledge,
    /// A fingerprint (16 hex digits of FNV-1a 64) of the full verdict's sentences about the answers:
    /// every finding's message, every exemption's message and the checklist's condition hints,
    /// in order (`words_fingerprint`). Equal fingerprints: the same words.
    pub words: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactFinding {
    pub code: FindingCode,
    pub target: Target,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactField {
    pub id: String,
    #[cfg_attr(feature = "wasm", tsify(type = "boolean | \"unknown\""))]
    pub applies: Applies,
    pub required: bool,
    pub ok: bool,
    /// The value as the engine read it, when that differs from what was typed (as in the full
    /// verdict's checklist): the page shows it back, so a keystroke that changes it needs the
    /// full verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional, type = "string | number"))]
    pub normalized: Option<Normalized>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactMaterial {
    pub id: String,
    #[cfg_attr(feature = "wasm", tsify(type = "boolean | \"unknown\""))]
    pub applies: Applies,
    pub status: MaterialStatus,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactPledge {
    /// Signing the pledge makes (or made) the application acceptable now (`pledge.would_accept`).
    pub available: bool,
    pub signed: bool,
    pub blocked_by: Vec<PledgeBlock>,
}

/// The compact form of a verdict (its notice is not read).
pub fn compact(verdict: Verdict) -> CompactVerdict {
    let words = verdict_words(&verdict);
    CompactVerdict {
        words,
        outcome: verdict.outcome,
        version: verdict.version,
        rules_digest: verdict.rules_digest,
        rules_revision: verdict.rules_revision,
        findings: verdict
            .findings
            .into_iter()
            .map(|f| CompactFinding {
                code: f.code,
                target: f.target,
            })
            .collect(),
        fields: verdict
            .checklist
            .fields
            .into_iter()
            .map(|f| CompactField {
                id: f.id,
                applies: f.applies,
                required: f.required,
                ok: f.ok,
                normalized: f.normalized,
            })
            .collect(),
        materials: verdict
            .checklist
            .materials
            .into_iter()
            .map(|m| CompactMaterial {
                id: m.id,
                applies: m.applies,
                status: m.status,
                ok: m.ok,
            })
            .collect(),
        pledge: CompactPledge {
            available: verdict.pledge.would_accept,
            signed: verdict.pledge.signed,
            blocked_by: verdict.pledge.blocked_by,
        },
    }
}

/// The compact verdict as one line of JSON: exactly `serde_json::to_string(compact)` (tests
/// check it byte for byte on the conformance corpus and on strings that need escaping), written
/// by hand because the compact check runs per keystroke and serde's writer was a third of it in
/// wasm (one small copy per quote, colon, comma and key; docs/wasm.md, "Where a compact check's
/// time goes"). Ids, keys, the fingerprint and the stable codes (`as_str()`, tested against
/// their serde names) are pushed whole; what else has its own serde form (the material status,
/// a normalised number, a string that needs escaping) is written by serde_json itself.
pub fn to_json(compact: &CompactVerdict) -> Result<String> {
    let items = compact.findings.len() + compact.fields.len() + compact.materials.len();
    let mut out = Json(Vec::with_capacity(256 + 96 * items));
    out.raw("{\"outcome\":");
    out.name(compact.outcome.as_str());
    out.raw(",\"version\":");
    out.string(&compact.version)?;
    out.raw(",\"rules_digest\":");
    out.string(&compact.rules_digest)?;
    out.raw(",\"rules_revision\":");
    match &compact.rules_revision {
        Some(revision) => out.string(revision)?,
        None => out.raw("null"),
    }
    out.raw(",\"findings\":");
    out.list(&compact.findings, |out, finding| {
        out.raw("{\"code\":");
        out.name(finding.code.as_str());
        out.raw(",\"target\":{\"kind\":");
        out.name(finding.target.kind.as_str());
        out.raw(",\"id\":");
        out.string(&finding.target.id)?;
        out.raw("}}");
        Ok(())
    })?;
    out.raw(",\"fields\":");
    out.list(&compact.fields, |out, field| {
        out.raw("{\"id\":");
        out.string(&field.id)?;
        out.raw(",\"applies\":");
        out.applies(field.applies);
        out.raw(if field.required {
            ",\"required\":true"
        } else {
            ",\"required\":false"
        });
        out.raw(if field.ok {
            ",\"ok\":true"
        } else {
            ",\"ok\":false"
        });
        if let Some(normalized) = &field.normalized {
            out.raw(",\"normalized\":");
            match normalized {
                Normalized::Text(text) => out.string(text)?,
                Normalized::Number(_) => out.serde(normalized)?,
            }
        }
        out.0.push(b'}');
        Ok(())
    })?;
    out.raw(",\"materials\":");
    out.list(&compact.materials, |out, material| {
        out.raw("{\"id\":");
        out.string(&material.id)?;
        out.raw(",\"applies\":");
        out.applies(material.applies);
        out.raw(",\"status\":");
        out.serde(&material.status)?;
        out.raw(if material.ok {
            ",\"ok\":true}"
        } else {
            ",\"ok\":false}"
        });
        Ok(())
    })?;
    out.raw(",\"pledge\":{\"available\":");
    out.raw(if compact.pledge.available {
        "true"
    } else {
        "false"
    });
    out.raw(if compact.pledge.signed {
        ",\"signed\":true"
    } else {
        ",\"signed\":false"
    });
    out.raw(",\"blocked_by\":");
    out.list(&compact.pledge.blocked_by, |out, block| {
        out.name(block.as_str());
        Ok(())
    })?;
    out.raw("},\"words\":");
    out.string(&compact.words)?;
    out.0.push(b'}');
    String::from_utf8(out.0).map_err(|e| unserializable(e.to_string()))
}

fn unserializable(detail: String) -> Error {
    Error::new(
        ErrorCode::InvalidJson,
        "输出无法序列化。",
        "The output could not be serialized.",
    )
    .detail(detail)
}

/// The compact JSON being written.
struct Json(Vec<u8>);

impl Json {
    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// A value in its serde form, written by serde_json.
    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value
            .serialize(&mut serde_json::Serializer::new(&mut self.0))
            .map_err(|e| unserializable(e.to_string()))
    }

    /// A JSON string: as is between quotes when nothing in it is escaped by serde_json (a quote,
    /// a backslash, a control character), else by serde_json.
    fn string(&mut self, text: &str) -> Result<()> {
        if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            return self.serde(text);
        }
        self.0.push(b'"');
        self.raw(text);
        self.0.push(b'"');
        Ok(())
    }

    /// A stable code's name (`as_str()`, snake_case: never escaped), between quotes.
    fn name(&mut self, name: &'static str) {
        self.0.push(b'"');
        self.raw(name);
        self.0.push(b'"');
    }

    fn applies(&mut self, applies: Applies) {
        self.raw(match applies {
            Applies::Yes => "true",
            Applies::No => "false",
            Applies::Unknown => "\"unknown\"",
        });
    }

    fn list<T>(
        &mut self,
        items: &[T],
        mut item: impl FnMut(&mut Self, &T) -> Result<()>,
    ) -> Result<()> {
        self.0.push(b'[');
        for (i, each) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            item(self, each)?;
        }
        self.0.push(b']');
        Ok(())
    }
}

/// The fingerprint of a verdict's sentences about the answers: every finding's message, every
/// exemption's message and the checklist's condition hints (fields, then materials), in order.
pub fn verdict_words(verdict: &Verdict) -> String {
    words_fingerprint(
        [
            verdict.findings.iter().map(|f| Some(&f.message)).collect(),
            verdict.exempt.iter().map(|e| Some(&e.message)).collect(),
            verdict
                .checklist
                .fields
                .iter()
                .map(|f| f.hint.as_ref())
                .collect(),
            verdict
                .checklist
                .materials
                .iter()
                .map(|m| m.hint.as_ref())
                .collect::<Vec<_>>(),
        ]
        .iter()
        .map(Vec::as_slice),
    )
}

/// 16 hex digits of a 64-bit FNV-1a hash over lists of optional texts: each list, then each
/// entry (absent or its zh and en, length-prefixed), so no two different sequences give the same
/// input. A change detector for a page's own re-checks, not a security device: FNV-1a instead of
/// SHA-256, which in wasm (no SHA instructions) made the compact check ~2× slower.
pub fn words_fingerprint<'a>(lists: impl IntoIterator<Item = &'a [Option<&'a Text>]>) -> String {
    let mut hash = Fnv64::default();
    for list in lists {
        hash.update(&(list.len() as u64).to_le_bytes());
        for text in list {
            match text {
                None => hash.update(&[0u8]),
                Some(t) => {
                    hash.update(&[1u8]);
                    for part in [&t.zh, &t.en] {
                        hash.update(&(part.len() as u64).to_le_bytes());
                        hash.update(part.as_bytes());
                    }
                }
            }
        }
    }
    format!("{:016x}", hash.0)
}

/// FNV-1a, 64 bits (offset basis and prime from the FNV reference).
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(zh: &str, en: &str) -> Text {
        Text {
            zh: zh.to_string(),
            en: en.to_string(),
        }
    }

    #[test]
    fn words_differ_with_any_text_or_its_place() {
        let (a, b, ab) = (
            t("缺章", "no seal"),
            t("缺", "no"),
            t("缺章缺", "no sealno"),
        );
        let of = |lists: &[&[Option<&Text>]]| words_fingerprint(lists.iter().copied());
        let base = of(&[&[Some(&a)], &[]]);
        assert_eq!(base.len(), 16);
        assert_eq!(base, of(&[&[Some(&a)], &[]]));
        assert_ne!(base, of(&[&[Some(&b)], &[]]), "another note");
        assert_ne!(base, of(&[&[], &[Some(&a)]]), "another list");
        assert_ne!(base, of(&[&[Some(&a), None], &[]]), "an absent hint counts");
        assert_ne!(
            of(&[&[Some(&ab), Some(&b)]]),
            of(&[&[Some(&a), Some(&b)]]),
            "lengths keep entries apart"
        );
    }

    fn sample(text: &str, revision: Option<&str>) -> CompactVerdict {
        use crate::verdict::TargetKind;
        CompactVerdict {
            outcome: Outcome::CorrectionRequired,
            version: format!("v{text}"),
            rules_digest: "abc".into(),
            rules_revision: revision.map(str::to_string),
            findings: vec![CompactFinding {
                code: FindingCode::FieldMissing,
                target: Target {
                    kind: TargetKind::MaterialGroup,
                    id: text.into(),
                },
            }],
            fields: [Applies::Yes, Applies::No, Applies::Unknown]
                .into_iter()
                .enumerate()
                .map(|(i, applies)| CompactField {
                    id: format!("{text}{i}"),
                    applies,
                    required: i == 0,
                    ok: i == 1,
                    normalized: match i {
                        0 => Some(Normalized::Text(text.into())),
                        1 => Some(Normalized::Number(
                            serde_json::Number::from_f64(-1.5e-7).unwrap(),
                        )),
                        _ => None,
                    },
                })
                .collect(),
            materials: vec![CompactMaterial {
                id: text.into(),
                applies: Applies::Unknown,
                status: MaterialStatus::Missing,
                ok: false,
            }],
            pledge: CompactPledge {
                available: true,
                signed: false,
                blocked_by: PledgeBlock::all().to_vec(),
            },
            words: "0123456789abcdef".into(),
        }
    }

    #[test]
    fn to_json_writes_the_bytes_serde_writes() {
        for text in [
            "",
            "plain",
            "引号“”",
            "q\"uote",
            "back\\slash",
            "nl\n\t\u{1}\u{1f}",
            "\u{7f}/é",
        ] {
            for revision in [None, Some("r-1"), Some(text)] {
                let mut compact = sample(text, revision);
                assert_eq!(
                    to_json(&compact).unwrap(),
                    serde_json::to_string(&compact).unwrap()
                );
                compact.findings.clear();
                compact.fields.clear();
                compact.materials.clear();
                compact.pledge.blocked_by.clear();
                compact.pledge.available = false;
                compact.pledge.signed = true;
                assert_eq!(
                    to_json(&compact).unwrap(),
                    serde_json::to_string(&compact).unwrap()
                );
            }
        }
    }

    #[test]
    fn fnv1a_64_matches_the_reference_vectors() {
        let of = |bytes: &[u8]| {
            let mut h = Fnv64::default();
            h.update(bytes);
            h.0
        };
        // From the FNV reference test suite (fnv.c test vectors, FNV-1a 64).
        assert_eq!(of(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(of(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(of(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
