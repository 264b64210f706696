//! Parse: a rule file's text into its typed form (TOML, or its JSON form from build.rs or a
//! bundle), with syntax, unknown-key and type errors located in the text (TOML builds).

use super::report::{Reporter, first_line};
use super::{LintCode, Validation};

#[derive(Clone, Copy)]
pub(super) enum SchemaKind {
    Matter,
    Calendar,
    Centre,
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(
    reporter: &mut Reporter<'_>,
    validation: Validation,
    kind: SchemaKind,
) -> Option<T> {
    if let Some(json) = reporter.parsed
        && validation == Validation::Types
    {
        match crate::json_maps::from_str::<T>(json) {
            Ok(value) => return Some(value),
            // Read it again as TOML, which says where in the text the problem is.
            #[cfg(feature = "toml")]
            Err(_) => {}
            #[cfg(not(feature = "toml"))]
            Err(error) => {
                let message = first_line(&error.to_string());
                reporter.at_offset(0, code_of(&message), format!("{message} (JSON form)"));
                return None;
            }
        }
    }
    from_toml(reporter, validation, kind)
}

/// Without the TOML reader (the page module) a file must come with its JSON form.
#[cfg(not(feature = "toml"))]
fn from_toml<T>(reporter: &mut Reporter<'_>, _: Validation, _: SchemaKind) -> Option<T> {
    reporter.at_offset(
        0,
        LintCode::Syntax,
        "此模块不读 TOML：规则包须带每个文件的 JSON 形式（qiquan bundle 生成） / this module does \
         not read TOML: the bundle must carry each file's JSON form (as `qiquan bundle` writes it)"
            .into(),
    );
    None
}

#[cfg(feature = "toml")]
fn from_toml<T: serde::de::DeserializeOwned>(
    reporter: &mut Reporter<'_>,
    validation: Validation,
    kind: SchemaKind,
) -> Option<T> {
    let text = &reporter.source.text;
    let table = match toml::de::DeTable::parse(text) {
        Ok(table) => table,
        Err(error) => {
            let offset = error.span().map_or(0, |s| s.start);
            reporter.at_offset(offset, LintCode::Syntax, first_line(error.message()));
            return None;
        }
    };
    #[cfg(feature = "schema")]
    if validation == Validation::Schema && !schema_check(reporter, kind) {
        return None;
    }
    let _ = (validation, kind);
    let deserializer = toml::de::Deserializer::from(table);
    match T::deserialize(deserializer) {
        Ok(value) => Some(value),
        Err(error) => {
            let offset = error.span().map_or(0, |s| s.start);
            let message = first_line(error.message());
            reporter.at_offset(offset, code_of(&message), message);
            None
        }
    }
}

/// The lint code of a deserializer's message.
fn code_of(message: &str) -> LintCode {
    if message.starts_with("unknown field") {
        LintCode::UnknownKey
    } else if message.starts_with("missing field") {
        LintCode::MissingKey
    } else {
        LintCode::InvalidValue
    }
}

/// Validates a file against the JSON Schema generated from `model`; reports every violation.
#[cfg(feature = "schema")]
fn schema_check(reporter: &mut Reporter<'_>, kind: SchemaKind) -> bool {
    use std::sync::OnceLock;
    static MATTER: OnceLock<jsonschema::Validator> = OnceLock::new();
    static CALENDAR: OnceLock<jsonschema::Validator> = OnceLock::new();
    static CENTRE: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = match kind {
        SchemaKind::Matter => MATTER.get_or_init(|| {
            jsonschema::validator_for(&crate::schema::matter_schema()).expect("generated schema")
        }),
        SchemaKind::Calendar => CALENDAR.get_or_init(|| {
            jsonschema::validator_for(&crate::schema::calendar_schema()).expect("generated schema")
        }),
        SchemaKind::Centre => CENTRE.get_or_init(|| {
            jsonschema::validator_for(&crate::schema::centre_schema()).expect("generated schema")
        }),
    };
    let Ok(instance) = toml::from_str::<serde_json::Value>(&reporter.source.text) else {
        return true; // the typed parse reports it
    };
    let mut ok = true;
    for error in validator.iter_errors(&instance) {
        ok = false;
        let mut pointer = error.instance_path().as_str().to_string();
        let code = match error.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                // Point at the offending key itself, not at its table.
                if let Some(key) = unexpected.first() {
                    pointer = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                }
                LintCode::UnknownKey
            }
            jsonschema::error::ValidationErrorKind::Required { .. } => LintCode::MissingKey,
            _ => LintCode::Schema,
        };
        let shown = if pointer.is_empty() {
            "/"
        } else {
            pointer.as_str()
        };
        reporter.at(&pointer, code, format!("{error} (at {shown})"));
    }
    ok
}
