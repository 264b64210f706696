//! Case tables as CSV, for authors who keep them in a spreadsheet.
//!
//! One row per case; the header names the columns: `name`, `base`, `received_at`, `applicant`,
//! `bad_credit`, `channel`, `pledge`, `unset` (ids separated by spaces), `field.<id>`,
//! `material.<id>` (a status), and the expectations `expect.outcome`, `expect.findings`
//! (separated by spaces), `expect.notice`, `expect.promised_due`, `expect.statutory_due`,
//! `expect.pledge_due`, `expect.blocked_by`. A row whose name is `base:<label>` is a complete
//! application the cases start from. The matter is the file's name (`<matter>.csv`). Empty
//! cells say nothing.

use serde_json::Value;

use super::table::{Case, CaseTable, Expect, Facts, MaterialEntry, table_error};
use crate::error::Result;

/// Splits CSV text (RFC 4180: quotes, doubled quotes, newlines inside quotes) into rows of
/// cells, each with the line it starts on.
pub(crate) fn rows(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let (mut quoted, mut line, mut start) = (false, 1, 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                if row.iter().any(|c| !c.is_empty()) {
                    rows.push((start, std::mem::take(&mut row)));
                }
                row.clear();
                line += 1;
                start = line;
            }
            (_, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push((start, row));
    }
    rows
}

/// The lines the case rows (not the header, not the bases) start on.
pub(crate) fn row_lines(text: &str) -> Vec<usize> {
    rows(text)
        .into_iter()
        .skip(1)
        .filter(|(_, r)| !r.first().is_some_and(|n| n.starts_with("base:")))
        .map(|(l, _)| l)
        .collect()
}

fn cell_value(cell: &str) -> Value {
    match cell {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        other => Value::from(other),
    }
}

fn words(cell: &str) -> Vec<String> {
    cell.split_whitespace().map(str::to_string).collect()
}

fn parse_enum<T: serde::de::DeserializeOwned>(path: &str, line: usize, cell: &str) -> Result<T> {
    serde_json::from_value(Value::from(cell)).map_err(|e| {
        table_error(
            &format!("{path}:{line}"),
            &format!("“{cell}”不是可用的值。"),
            &format!("“{cell}” is not an allowed value."),
            e.to_string(),
        )
    })
}

/// Reads a CSV case table.
pub(crate) fn parse(path: &str, text: &str) -> Result<CaseTable> {
    let all = rows(text);
    let Some((_, header)) = all.first() else {
        return Err(table_error(path, "文件是空的。", "the file is empty.", ""));
    };
    let matter = std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut table = CaseTable {
        matter,
        ..CaseTable::default()
    };
    for (line, row) in all.iter().skip(1) {
        let mut case = Case::default();
        let mut expect = Expect::default();
        for (column, cell) in header.iter().zip(row) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let bool_cell = || cell == "true" || cell == "是";
            match column.trim() {
                "name" => case.name = cell.to_string(),
                "base" => case.base = Some(cell.to_string()),
                "received_at" => case.received_at = Some(cell.to_string()),
                "applicant" => case.applicant = Some(parse_enum(path, *line, cell)?),
                "bad_credit" => case.bad_credit = Some(bool_cell()),
                "channel" => case.channel = Some(parse_enum(path, *line, cell)?),
                "pledge" => case.pledge = Some(bool_cell()),
                "unset" => case.unset = words(cell),
                "expect.outcome" => expect.outcome = Some(cell.to_string()),
                "expect.findings" => expect.findings = Some(words(cell)),
                "expect.notice" => expect.notice = Some(cell.to_string()),
                "expect.promised_due" => expect.promised_due = Some(cell.to_string()),
                "expect.statutory_due" => expect.statutory_due = Some(cell.to_string()),
                "expect.pledge_due" => expect.pledge_due = Some(cell.to_string()),
                "expect.blocked_by" => expect.blocked_by = Some(words(cell)),
                other => {
                    if let Some(id) = other.strip_prefix("field.") {
                        case.fields.insert(id.to_string(), cell_value(cell));
                    } else if let Some(id) = other.strip_prefix("material.") {
                        let status = parse_enum(path, *line, cell)?;
                        case.materials
                            .insert(id.to_string(), MaterialEntry::Status(status));
                    } else {
                        return Err(table_error(
                            &format!("{path}:1"),
                            &format!("不认识的列“{other}”。"),
                            &format!("unknown column “{other}”."),
                            "",
                        ));
                    }
                }
            }
        }
        case.expect = expect;
        if let Some(label) = case.name.strip_prefix("base:") {
            table.base.push(Facts {
                version: Some(label.to_string()),
                received_at: case.received_at,
                applicant: case.applicant,
                bad_credit: case.bad_credit,
                channel: case.channel,
                pledge: case.pledge,
                fields: case.fields,
                unset: case.unset,
                materials: case.materials,
                pauses: None,
            });
        } else {
            table.cases.push(case);
        }
    }
    Ok(table)
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The CSV text with each case row's expectation columns replaced by `expects` (in case order).
pub(crate) fn bless(text: &str, expects: &[Expect]) -> String {
    let mut all: Vec<Vec<String>> = rows(text).into_iter().map(|(_, r)| r).collect();
    let Some(header) = all.first_mut() else {
        return text.to_string();
    };
    const COLUMNS: [&str; 7] = [
        "expect.outcome",
        "expect.findings",
        "expect.notice",
        "expect.promised_due",
        "expect.statutory_due",
        "expect.pledge_due",
        "expect.blocked_by",
    ];
    for column in COLUMNS {
        if !header.iter().any(|h| h == column) {
            header.push(column.to_string());
        }
    }
    let header = header.clone();
    let mut expects = expects.iter();
    for row in all.iter_mut().skip(1) {
        row.resize(header.len(), String::new());
        if row[0].starts_with("base:") {
            continue;
        }
        let Some(e) = expects.next() else { break };
        for (i, column) in header.iter().enumerate() {
            let value = match column.as_str() {
                "expect.outcome" => e.outcome.clone(),
                "expect.findings" => e.findings.as_ref().map(|f| f.join(" ")),
                "expect.notice" => e.notice.clone(),
                "expect.promised_due" => e.promised_due.clone(),
                "expect.statutory_due" => e.statutory_due.clone(),
                "expect.pledge_due" => e.pledge_due.clone(),
                "expect.blocked_by" => e.blocked_by.as_ref().map(|f| f.join(" ")),
                _ => continue,
            };
            row[i] = value.unwrap_or_default();
        }
    }
    let mut out = String::new();
    for row in all {
        let cells: Vec<String> = row.iter().map(|c| quote(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
