//! Document numbers (文号): one sequence per document kind (受理, 容缺受理, 补正, 不予受理) and
//! year; the text is the verdict's notice number (the centre profile's `number_pattern`, e.g.
//! `明审服受〔2026〕____号`) with the sequence filled in by [`qiquan::verdict::Notice::numbered`].
//!
//! The sequence is a counter row incremented in the same transaction as the document it numbers,
//! so a rolled-back request leaves no gap and concurrent requests (threads, replicas) never share
//! a number: the row lock (PostgreSQL) or the single writer (SQLite) orders them.

/// The next value of a kind's sequence for a year, inside the caller's transaction.
pub(crate) async fn next(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: &str,
    year: i32,
) -> Result<i64, sqlx::Error> {
    let value: i64 = sqlx::query_scalar(
        "INSERT INTO counters (kind, year, value) VALUES ($1, $2, 1) \
         ON CONFLICT (kind, year) DO UPDATE SET value = counters.value + 1 \
         RETURNING value",
    )
    .bind(kind.to_string())
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(value)
}
