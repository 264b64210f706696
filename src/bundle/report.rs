//! Where a diagnostic points: JSON-pointer paths located in a file's TOML text, reported as
//! line and column (in characters).

use super::{Diagnostic, LintCode, SourceFile};

/// Collects diagnostics for one file, locating JSON-pointer paths in its text.
pub(crate) struct Reporter<'a> {
    pub source: &'a SourceFile,
    /// The file pre-parsed into JSON (embedded rules only).
    pub parsed: Option<&'a str>,
    pub out: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    pub fn at_offset(&mut self, offset: usize, code: LintCode, message: String) {
        let (line, column) = line_column(&self.source.text, offset);
        self.out.push(Diagnostic {
            file: self.source.path.clone(),
            line,
            column,
            code,
            severity: code.severity(),
            message,
        });
    }

    /// Whether an error was reported since the diagnostics numbered `before` (warnings do
    /// not keep a file from loading).
    pub fn errors_since(&self, before: usize) -> bool {
        self.out[before..].iter().any(Diagnostic::is_error)
    }

    pub fn at(&mut self, pointer: &str, code: LintCode, message: String) {
        let offset = locate(&self.source.text, pointer);
        self.at_offset(offset, code, message);
    }
}

pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The byte offset of the value a JSON pointer names (or of its nearest existing ancestor).
pub(super) fn locate(text: &str, pointer: &str) -> usize {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return 0;
    };
    let mut offset = 0;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut array: Option<&toml::de::DeArray> = None;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = if let Some(t) = table {
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == segment)
                .map(|(_, v)| v)
        } else if let Some(a) = array {
            segment.parse::<usize>().ok().and_then(|i| a.get(i))
        } else {
            None
        };
        let Some(value) = next else { break };
        offset = value.span().start;
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    offset
}

/// An engine error's message as one lint line: Chinese, then English.
pub(super) fn both(message: &crate::model::Text) -> String {
    format!("{} / {}", message.zh, message.en)
}

pub(super) fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "a = 1\n名称 = 2\n";
        let offset = text.find('2').unwrap();
        assert_eq!(line_column(text, offset), (2, 6));
    }

    #[test]
    fn locate_finds_nested_values() {
        let text =
            "x = 1\n[[materials]]\nid = \"a\"\n[[materials]]\nid = \"b\"\ntolerable = true\n";
        let offset = locate(text, "/materials/1/tolerable");
        assert_eq!(line_column(text, offset), (6, 13));
        // A missing key falls back to its parent.
        let offset = locate(text, "/materials/1/nope");
        assert_eq!(line_column(text, offset).0, 4);
    }
}
