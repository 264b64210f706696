//! Document numbers (文号): a pattern per kind of document, a sequence per kind and year.
//!
//! The sequence is a counter row incremented in the same transaction as the document it numbers,
//! so a rolled-back request leaves no gap and concurrent requests (threads, replicas) never share
//! a number: the row lock (PostgreSQL) or the single writer (SQLite) orders them.
//!
//! The patterns are [`NumberPatterns::default`] until the centre profile (`rules/centre.toml`,
//! issue 12) carries the office's 文号 pattern: pass its patterns to [`super::Register`] then.

use serde::Serialize;

/// What a number is for; each kind has its own sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// 受理 or 容缺受理: the case number on the receipt.
    Case,
    /// 补正材料通知书.
    Correction,
    /// 不予受理通知书.
    Refusal,
}

impl NumberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Correction => "correction",
            Self::Refusal => "refusal",
        }
    }
}

/// One pattern per kind. `{year}` is the four-digit year, `{seq}` the sequence number and
/// `{seq:N}` the sequence zero-padded to N digits.
#[derive(Debug, Clone)]
pub struct NumberPatterns {
    pub case: String,
    pub correction: String,
    pub refusal: String,
}

impl Default for NumberPatterns {
    fn default() -> Self {
        Self {
            case: "受〔{year}〕{seq:5}号".into(),
            correction: "补〔{year}〕{seq:5}号".into(),
            refusal: "不受〔{year}〕{seq:5}号".into(),
        }
    }
}

impl NumberPatterns {
    pub fn pattern(&self, kind: NumberKind) -> &str {
        match kind {
            NumberKind::Case => &self.case,
            NumberKind::Correction => &self.correction,
            NumberKind::Refusal => &self.refusal,
        }
    }
}

/// The number for a year and a sequence value under a pattern.
pub fn format_number(pattern: &str, year: i32, seq: i64) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let Some(close) = tail.find('}') else {
            out.push_str(tail);
            return out;
        };
        let token = &tail[1..close];
        match token.split_once(':') {
            None if token == "year" => out.push_str(&year.to_string()),
            None if token == "seq" => out.push_str(&seq.to_string()),
            Some(("seq", width)) => match width.parse::<usize>() {
                Ok(width) => out.push_str(&format!("{seq:0width$}")),
                Err(_) => out.push_str(&tail[..=close]),
            },
            _ => out.push_str(&tail[..=close]),
        }
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The next value of a kind's sequence for a year, inside the caller's transaction.
pub async fn next(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: NumberKind,
    year: i32,
) -> Result<i64, sqlx::Error> {
    let value: i64 = sqlx::query_scalar(
        "INSERT INTO counters (kind, year, value) VALUES ($1, $2, 1) \
         ON CONFLICT (kind, year) DO UPDATE SET value = counters.value + 1 \
         RETURNING value",
    )
    .bind(kind.as_str())
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_patterns() {
        let p = NumberPatterns::default();
        assert_eq!(format_number(&p.case, 2026, 7), "受〔2026〕00007号");
        assert_eq!(format_number("{year}-{seq}", 2026, 123456), "2026-123456");
        assert_eq!(format_number("X{oops}{seq:3}", 2026, 5), "X{oops}005");
        assert_eq!(format_number("open{seq", 2026, 5), "open{seq");
    }
}
