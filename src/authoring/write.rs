//! Writing case tables back: `--bless` replaces each case's `expect = { … }` line and leaves
//! every other line (and comment) as the author wrote it; `--generate` appends whole cases.

use serde_json::Value;

use super::table::{Case, Expect, Facts, MaterialEntry};

/// A TOML string (basic string; JSON's escapes are TOML's).
fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        string(k)
    }
}

/// A scalar, array or table as inline TOML.
pub(crate) fn value(v: &Value) -> String {
    match v {
        Value::Null => string(""),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{} = {}", key(k), value(v)))
                .collect();
            if items.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", items.join(", "))
            }
        }
    }
}

fn strings(items: &[String]) -> String {
    value(&Value::from(items.to_vec()))
}

/// `expect = { … }` on one line.
pub(crate) fn expect_line(e: &Expect) -> String {
    let mut parts = Vec::new();
    let mut text = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k} = {}", string(v)));
        }
    };
    text("outcome", &e.outcome);
    text("notice", &e.notice);
    text("promised_due", &e.promised_due);
    text("statutory_due", &e.statutory_due);
    text("pledge_due", &e.pledge_due);
    if let Some(f) = &e.findings {
        parts.push(format!("findings = {}", strings(f)));
    }
    if let Some(b) = &e.blocked_by {
        parts.push(format!("blocked_by = {}", strings(b)));
    }
    if e.strict {
        parts.push("strict = true".into());
    }
    if let Some(d) = &e.digest {
        parts.push(format!("digest = {}", string(d)));
    }
    format!("expect = {{ {} }}", parts.join(", "))
}

/// The table's text with each `[[case]]`'s `expect` line replaced by `expects` (in order), or
/// added after the case's `name` line when it has none.
pub(crate) fn bless(text: &str, expects: &[Expect]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut expects = expects.iter();
    let mut current: Option<&Expect> = None;
    let mut written = true;
    let lines: Vec<&str> = text.lines().collect();
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            if !written && let Some(e) = current {
                insert_before_blank_tail(&mut out, expect_line(e));
            }
            if trimmed.trim_end() == "[[case]]" {
                current = expects.next();
                written = false;
            } else {
                current = None;
                written = true;
            }
            out.push(line.to_string());
            continue;
        }
        if let Some(e) = current
            && (trimmed.starts_with("expect =") || trimmed.starts_with("expect="))
        {
            out.push(expect_line(e));
            written = true;
            continue;
        }
        out.push(line.to_string());
    }
    if !written && let Some(e) = current {
        insert_before_blank_tail(&mut out, expect_line(e));
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

fn insert_before_blank_tail(out: &mut Vec<String>, line: String) {
    let mut at = out.len();
    while at > 0 && (out[at - 1].trim().is_empty() || out[at - 1].trim_start().starts_with('#')) {
        at -= 1;
    }
    out.insert(at, line);
}

fn material(entry: &MaterialEntry) -> String {
    match entry {
        MaterialEntry::Status(s) => value(&serde_json::to_value(s).unwrap_or_default()),
        MaterialEntry::Entry(e) => value(&serde_json::to_value(e).unwrap_or_default()),
    }
}

fn facts_lines(out: &mut String, f: &Facts) {
    let mut line = |k: &str, v: String| {
        out.push_str(&format!("{k} = {v}\n"));
    };
    if let Some(v) = &f.version {
        line("version", string(v));
    }
    if let Some(v) = &f.received_at {
        line("received_at", string(v));
    }
    if let Some(v) = f.applicant {
        line(
            "applicant",
            value(&serde_json::to_value(v).unwrap_or_default()),
        );
    }
    if let Some(v) = f.bad_credit {
        line("bad_credit", v.to_string());
    }
    if let Some(v) = f.channel {
        line(
            "channel",
            value(&serde_json::to_value(v).unwrap_or_default()),
        );
    }
    if let Some(v) = f.pledge {
        line("pledge", v.to_string());
    }
    if !f.fields.is_empty() {
        let map: serde_json::Map<String, Value> = f.fields.clone().into_iter().collect();
        line("fields", value(&Value::Object(map)));
    }
    if !f.unset.is_empty() {
        line("unset", strings(&f.unset));
    }
    if !f.materials.is_empty() {
        let items: Vec<String> = f
            .materials
            .iter()
            .map(|(k, m)| format!("{} = {}", key(k), material(m)))
            .collect();
        line("materials", format!("{{ {} }}", items.join(", ")));
    }
    if let Some(p) = &f.pauses {
        line(
            "pauses",
            value(&serde_json::to_value(p).unwrap_or_default()),
        );
    }
}

/// A `[[base]]` block.
pub(crate) fn base_block(f: &Facts) -> String {
    let mut out = String::from("[[base]]\n");
    facts_lines(&mut out, f);
    out
}

/// A `[[case]]` block.
pub(crate) fn case_block(c: &Case) -> String {
    let mut out = String::from("[[case]]\n");
    out.push_str(&format!("name = {}\n", string(&c.name)));
    if let Some(b) = &c.base {
        out.push_str(&format!("base = {}\n", string(b)));
    }
    facts_lines(
        &mut out,
        &Facts {
            version: None,
            received_at: c.received_at.clone(),
            applicant: c.applicant,
            bad_credit: c.bad_credit,
            channel: c.channel,
            pledge: c.pledge,
            fields: c.fields.clone(),
            unset: c.unset.clone(),
            materials: c.materials.clone(),
            pauses: c.pauses.clone(),
        },
    );
    out.push_str(&expect_line(&c.expect));
    out.push('\n');
    out
}
