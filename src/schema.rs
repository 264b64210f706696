//! The JSON Schemas of the rule files, generated from the Rust types in `model` so the schema
//! and the code cannot drift. `qiquan schema rules/schema` writes them; a test checks that the
//! files in the repository match.

use schemars::schema_for;
use serde_json::Value;

use crate::centre::CentreProfile;
use crate::model::{CalendarFile, MatterFile};

pub fn matter_schema() -> Value {
    serde_json::to_value(schema_for!(MatterFile)).unwrap_or(Value::Null)
}

pub fn calendar_schema() -> Value {
    serde_json::to_value(schema_for!(CalendarFile)).unwrap_or(Value::Null)
}

pub fn centre_schema() -> Value {
    serde_json::to_value(schema_for!(CentreProfile)).unwrap_or(Value::Null)
}

/// (file name, pretty JSON with a trailing newline) for each schema.
pub fn schema_files() -> Vec<(&'static str, String)> {
    let pretty = |v: Value| serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    vec![
        ("matter.schema.json", pretty(matter_schema())),
        ("calendar.schema.json", pretty(calendar_schema())),
        ("centre.schema.json", pretty(centre_schema())),
    ]
}
