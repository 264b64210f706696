//! Personal data in the register: what is stored of an applicant's answers (a redacted copy,
//! the sealed full copy, lookup hashes) and the scrubbing of ID card and phone numbers from
//! every text the register shows or logs.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::{Value, json};

use super::Register;
use super::error::{RegisterError, RegisterResult};
use crate::server::AppState;
use qiquan::Submission;
use qiquan::model::FieldKind;

/// ID card and phone numbers anywhere in free text, as people type them: 18/15-digit IDs,
/// mainland mobiles (with +86), landlines with an area code — with spaces or hyphens between
/// the digits. Matched on the text read as the engine reads a field ([`qiquan::half_width_char`]:
/// full-width digits and hyphens as ASCII), so `１３９－１２３４－５６７８` is found too.
static PERSONAL: LazyLock<Option<regex_lite::Regex>> = LazyLock::new(|| {
    regex_lite::Regex::new(
        r"\d(?:[ -]?\d){16}[ -]?[0-9Xx]|\d(?:[ -]?\d){14}|(?:\+?86[ -]?)?1[3-9](?:[ -]?\d){9}|0\d{2,3}[ -]?\d(?:[ -]?\d){6,7}",
    )
    .ok()
});

/// Whether `text` has seven digits in a row (full-width or ASCII, spaces and hyphens between
/// them allowed). Every alternative of [`PERSONAL`] needs that (the shortest, a landline, has
/// 7 digits after its area code), so text without such a run cannot match. Most of a verdict
/// (its prose) has none: the regex (a PikeVM) then does not run; run on every string it was 23%
/// of a submission's CPU.
fn may_hold_personal(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        let c = qiquan::half_width_char(c);
        if c.is_ascii_digit() {
            run += 1;
            if run >= 7 {
                return true;
            }
        } else if !matches!(c, ' ' | '-') {
            run = 0;
        }
    }
    false
}

/// `text` with every personal number replaced by `[redacted]`; None when there is none.
fn redact(text: &str) -> Option<String> {
    let re = PERSONAL.as_ref()?;
    // The text read as the engine reads a field, one character for one, with where each
    // character starts in the original.
    let mut read = String::with_capacity(text.len());
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        starts.push((read.len(), at));
        read.push(qiquan::half_width_char(c));
    }
    let original = |read_at: usize| -> usize {
        match starts.binary_search_by_key(&read_at, |&(r, _)| r) {
            Ok(i) => starts[i].1,
            Err(_) => text.len(),
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in re.find_iter(&read) {
        let (from, to) = (original(m.start()), original(m.end()));
        out.push_str(&text[last..from]);
        out.push_str("[redacted]");
        last = to;
    }
    if last == 0 && out.is_empty() {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Replaces ID card and phone numbers in every string of `value` with `[redacted]`.
pub(crate) fn scrub(value: &mut Value) {
    match value {
        Value::String(text) => {
            if may_hold_personal(text)
                && let Some(replaced) = redact(text)
            {
                *text = replaced;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(map) => map.values_mut().for_each(scrub),
        _ => {}
    }
}

/// Field ids of kind ID card or phone in any version of the matter, with the lookup kind.
fn personal_fields(state: &AppState, matter: &str) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let engine = state.engine();
    let Ok(file) = engine.matter(matter, None) else {
        return out;
    };
    for field in &file.fields {
        match field.kind {
            FieldKind::IdCard => out.insert(field.id.clone(), "id_card"),
            FieldKind::Phone => out.insert(field.id.clone(), "phone"),
            _ => None,
        };
    }
    out
}

/// What is stored of the answers: a redacted copy (personal data replaced, the pledgor's
/// identity too), the sealed full copy, and the lookup hashes by field.
pub(crate) struct Protected {
    pub(crate) answers: String,
    pub(crate) sealed: String,
    pub(crate) index: Vec<(String, String)>,
}

pub(crate) fn protect(
    state: &AppState,
    reg: &Register,
    matter: &str,
    submission: &Submission,
) -> RegisterResult<Protected> {
    let plain = serde_json::to_string(submission).map_err(RegisterError::storage)?;
    let sealed = reg.key.seal(plain.as_bytes())?;
    let mut value = serde_json::to_value(submission).map_err(RegisterError::storage)?;
    let kinds = personal_fields(state, matter);
    let mut index = Vec::new();
    if let Some(fields) = value.get_mut("fields").and_then(Value::as_object_mut) {
        for (id, v) in fields.iter_mut() {
            if let (Some(kind), Some(text)) = (kinds.get(id), v.as_str()) {
                index.push((id.clone(), reg.key.lookup(kind, text)));
                *v = json!(format!("[{kind}]"));
            }
        }
    }
    // The pledgor (name and identity document number) is personal data: only the sealed copy
    // keeps it.
    if let Some(pledgor) = value.get_mut("pledgor") {
        *pledgor = json!("[pledgor]");
    }
    scrub(&mut value);
    Ok(Protected {
        answers: value.to_string(),
        sealed,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers typed with spaces, hyphens or full-width digits are found as the engine reads
    /// them in a field; the rest of the text (full-width punctuation included) is kept as typed.
    #[test]
    fn typed_variants_are_redacted() {
        let cases = [
            ("联系人 139 1234 5678。", "联系人 [redacted]。"),
            ("电话139-1234-5678", "电话[redacted]"),
            ("电话１３９１２３４５６７８！", "电话[redacted]！"),
            ("手机：１３９－１２３４－５６７８", "手机：[redacted]"),
            ("+86 139 1234 5678", "[redacted]"),
            ("身份证 370102 19850615 3214", "身份证 [redacted]"),
            (
                "身份证３７０１０２１９８５０６１５３２１Ｘ号",
                "身份证[redacted]号",
            ),
            ("座机 0531-8123 456", "座机 [redacted]"),
            (
                "面积 1,200 平方米（2026-03-02）",
                "面积 1,200 平方米（2026-03-02）",
            ),
        ];
        for (typed, stored) in cases {
            let mut value = Value::String(typed.to_string());
            scrub(&mut value);
            assert_eq!(value, Value::String(stored.to_string()), "{typed}");
        }
    }

    /// The prefilter never hides a match: every string the regex matches has a 7-digit run, and
    /// scrubbing with it gives what the regex alone gives.
    #[test]
    fn the_digit_run_prefilter_keeps_every_match() {
        let re = PERSONAL.as_ref().expect("regex");
        let samples = [
            "11010519491231002X",
            "身份证 370102198506153214 号",
            "110105491231002",
            "13800138000",
            "+8613912345678",
            "86 13912345678",
            "010-12345678",
            "0531-8123456",
            "05318123456",
            "电话 021-1234567 转 8",
            "未加盖公章",
            "2026-03-02T09:30:00+08:00",
            "明审服受〔2026〕1234567号",
            "123456",
            "12-345-678-901",
            "sha256:0123456789abcdef",
        ];
        for text in samples {
            if re.is_match(text) {
                assert!(may_hold_personal(text), "{text}");
            }
            let mut alone = Value::String(text.to_string());
            if re.is_match(text) {
                alone = Value::String(re.replace_all(text, "[redacted]").into_owned());
            }
            let mut filtered = Value::String(text.to_string());
            scrub(&mut filtered);
            assert_eq!(filtered, alone, "{text}");
        }
        // Every 7-character string of digits and separators, alone and doubled (14 characters):
        // no match without a 7-digit run.
        let alphabet = ['0', '1', '8', '-', '+'];
        let mut text = String::new();
        for n in 0..alphabet.len().pow(7) {
            text.clear();
            let mut k = n;
            for _ in 0..7 {
                text.push(alphabet[k % alphabet.len()]);
                k /= alphabet.len();
            }
            let padded = format!("{text}{text}");
            for t in [&text, &padded] {
                assert!(!re.is_match(t) || may_hold_personal(t), "{t}");
            }
        }
    }
}
