//! A rule file's JSON form: its TOML parsed and written as JSON, when JSON carries it exactly.
//! Shared with build.rs (which embeds this form of every rule file) and `qiquan bundle` (which
//! writes it beside each file's text), so a module without the TOML parser reads the same
//! documents.

/// True when JSON can carry the value exactly: no TOML datetimes, no NaN or infinities.
fn json_exact(value: &toml::Value) -> bool {
    match value {
        toml::Value::Float(f) => f.is_finite(),
        toml::Value::Datetime(_) => false,
        toml::Value::Array(items) => items.iter().all(json_exact),
        toml::Value::Table(table) => table.values().all(json_exact),
        toml::Value::String(_) | toml::Value::Integer(_) | toml::Value::Boolean(_) => true,
    }
}

/// The file as compact JSON text, when it parses and converts exactly (else `None`: the file
/// is left to the TOML reader, which reports what is wrong with line and column).
pub fn json_form(text: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(text).ok()?;
    if !json_exact(&value) {
        return None;
    }
    serde_json::to_string(&value).ok()
}
