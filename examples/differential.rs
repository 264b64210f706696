//! Differential test, native half: generates random but well-formed submissions for every matter
//! in the embedded bundle (fixed seed), evaluates them natively and writes
//! `target/differential/cases.jsonl` — the raw input text and the SHA-256 and length of the
//! native output bytes. `tests/wasm/differential.mjs` replays every line through `pkg/` in Node
//! and requires identical bytes.
//!
//! ```text
//! cargo run --example differential                 # write the cases (2,000 per matter)
//! cargo run --example differential -- --print 17   # print case 17's native output
//! QIQUAN_DIFF_PER_MATTER=500 QIQUAN_DIFF_SEED=7 cargo run --example differential
//! ```
//!
//! The generator is deliberately adversarial within the input format: dates across year ends,
//! make-up working days (调休) and holidays, instants in several offsets, large and oddly
//! written numbers, non-ASCII and escaped text, empty values, duplicated keys (raw text, so the
//! JSON.parse of a runner cannot drop them), bad credit, pledges, pauses, every channel and a
//! few plainly invalid inputs.
//!
//! Then inputs around the 256 KiB size limit (just under, at, just over, with the cut inside a
//! 3- and a 4-byte character) as strings and as bytes, and bytes that are not UTF-8: the wasm
//! module must give the CLI's error, with the same code and the same size in the message.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use qiquan::Engine;
use qiquan::model::{CalendarFile, FieldKind, MatterFile};
use sha2::{Digest, Sha256};

const DEFAULT_PER_MATTER: usize = 2000;
const DEFAULT_SEED: u64 = 0x71_71_75_61_6e; // "qiquan"
/// One deadline case per this many check cases.
const DEADLINE_EVERY: usize = 8;

/// SplitMix64: small, fixed, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// Dates worth testing: year ends, holidays and their edges, make-up working days.
struct Dates {
    interesting: Vec<(i32, u32, u32)>,
}

impl Dates {
    fn new(calendars: &[CalendarFile], matter_dates: &[String]) -> Dates {
        let mut interesting = Vec::new();
        let mut add = |text: &str| {
            let parts: Vec<&str> = text.split('-').collect();
            if let [y, m, d] = parts[..]
                && let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
            {
                interesting.push((y, m, d));
            }
        };
        for calendar in calendars {
            for holiday in &calendar.holidays {
                add(&holiday.from);
                add(&holiday.to);
            }
            for day in &calendar.make_up_workdays {
                add(&day.date);
            }
        }
        for date in matter_dates {
            add(date);
        }
        for year in 2018..=2028 {
            for day in 18..=31 {
                interesting.push((year, 12, day));
            }
            for day in 1..=6 {
                interesting.push((year, 1, day));
            }
        }
        Dates { interesting }
    }

    /// A valid calendar date (as y, m, d), near something interesting most of the time.
    fn date(&self, rng: &mut Rng) -> (i32, u32, u32) {
        let (y, m, d) = if rng.chance(80) {
            *rng.pick(&self.interesting)
        } else if rng.chance(95) {
            (
                rng.range(2019, 2028) as i32,
                rng.range(1, 12) as u32,
                rng.range(1, 28) as u32,
            )
        } else {
            // Outside the years the engine computes with, and the edges of it.
            (
                *rng.pick(&[1899, 1900, 1901, 2198, 2199, 2200, 9999]),
                rng.range(1, 12) as u32,
                rng.range(1, 28) as u32,
            )
        };
        // Step a few days either way, across month and year ends.
        shift((y, m, d), rng.range(-3, 3))
    }

    fn date_text(&self, rng: &mut Rng) -> String {
        if rng.chance(4) {
            return rng
                .pick(&[
                    "2026-02-29",
                    "2024-02-29",
                    "2026-13-01",
                    "2026-3-2",
                    "20260302",
                    "",
                    "2026-03-02T00:00:00",
                    "２０２６-03-02",
                ])
                .to_string();
        }
        let (y, m, d) = self.date(rng);
        format!("{y:04}-{m:02}-{d:02}")
    }

    fn bad_instant(&self, rng: &mut Rng) -> String {
        rng.pick(&[
            "2026-03-02 09:30:00+08:00",
            "2026-03-02T09:30:00",
            "2026-02-30T09:30:00+08:00",
            "2026-03-02T24:00:00+08:00",
            "yesterday",
            "",
            "2026-03-02T09:30:00+25:00",
            "1899-12-31T23:00:00+08:00",
            "2200-01-01T00:00:00+08:00",
        ])
        .to_string()
    }

    /// A valid instant, mostly on a day the matter version is in force (`from..=until`).
    fn instant(&self, rng: &mut Rng, from: &str, until: Option<&str>) -> String {
        let key = |(y, m, d): (i32, u32, u32)| format!("{y:04}-{m:02}-{d:02}");
        let mut day = self.date(rng);
        for _ in 0..20 {
            let text = key(day);
            if rng.chance(5) || (text.as_str() >= from && until.is_none_or(|u| text.as_str() <= u))
            {
                break;
            }
            day = self.date(rng);
        }
        let (y, m, d) = day;
        let hour = if rng.chance(40) {
            *rng.pick(&[0, 8, 15, 16, 17, 23])
        } else {
            rng.range(0, 23)
        };
        let minute = rng.range(0, 59);
        let second = rng.range(0, 59);
        let fraction = if rng.chance(10) { ".123456789" } else { "" };
        let offset = rng.pick(&[
            "+08:00", "+08:00", "+08:00", "Z", "+00:00", "-05:00", "+14:00", "+05:45", "-12:00",
            "z",
        ]);
        format!("{y:04}-{m:02}-{d:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}")
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn shift((mut y, mut m, mut d): (i32, u32, u32), by: i64) -> (i32, u32, u32) {
    for _ in 0..by.unsigned_abs() {
        if by > 0 {
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        } else if d > 1 {
            d -= 1;
        } else {
            if m > 1 {
                m -= 1;
            } else {
                m = 12;
                y -= 1;
            }
            d = days_in_month(y, m);
        }
    }
    (y, m, d)
}

/// A JSON string literal, sometimes with gratuitous `\u` escapes (same value, other bytes).
fn string_literal(rng: &mut Rng, text: &str) -> String {
    if !rng.chance(10) {
        return serde_json::to_string(text).unwrap_or_default();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || rng.chance(30) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn text_value(rng: &mut Rng) -> String {
    let pieces = [
        "张三",
        "李四",
        "王五 ",
        "北京市朝阳区建国路88号",
        "上海市浦东新区",
        "ACME 有限公司",
        "Zoë",
        "İstanbul",
        "😀",
        "👨‍👩‍👧",
        "e\u{301}",
        "שלום",
        "\u{200b}",
        "Tab\there",
        "line\nbreak",
        "quote\"and\\slash",
        "   ",
        "",
        "a",
        "𠀀𠀁",
        "Ⅻ",
        "１２３",
        "\u{2028}",
    ];
    let mut text = String::new();
    for _ in 0..rng.below(4) {
        let piece = *rng.pick(&pieces);
        text.push_str(piece);
    }
    if rng.chance(3) {
        // Long text, over most max_length limits.
        text.push_str(&"长".repeat(rng.range(20, 600) as usize));
    }
    text
}

fn number_literal(rng: &mut Rng, min: Option<f64>, max: Option<f64>) -> String {
    if let (Some(lo), Some(hi)) = (min, max)
        && rng.chance(50)
    {
        let choices = [
            lo,
            hi,
            lo - 1.0,
            hi + 1.0,
            (lo + hi) / 2.0,
            lo + 0.5,
            hi - 0.001,
        ];
        let v = *rng.pick(&choices);
        return if v.fract() == 0.0 && v.abs() < 1e15 && rng.chance(60) {
            format!("{}", v as i64)
        } else {
            format!("{v:?}")
        };
    }
    rng.pick(&[
        "0",
        "-0",
        "0.0",
        "1",
        "1.0",
        "1.50",
        "1e3",
        "1E+3",
        "2.5e-3",
        "-1",
        "100",
        "99.99",
        "12345678901234567890",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "9007199254740993",
        "1.7976931348623157e308",
        "-1.7976931348623157e308",
        "5e-324",
        "0.1",
        "0.30000000000000004",
        "123456789.123456789",
        "1e-7",
        "3.141592653589793238462643383279",
        "50",
        "500",
        "5000",
        "1000000",
    ])
    .to_string()
}

fn id_card(rng: &mut Rng, dates: &Dates, good: bool) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let region = rng.pick(&["110101", "310115", "440305", "510104", "650102"]);
    let (y, m, d) = if good || rng.chance(80) {
        (
            rng.range(1940, 2005) as i32,
            rng.range(1, 12) as u32,
            rng.range(1, 28) as u32,
        )
    } else {
        let (_, m, d) = dates.date(rng);
        (rng.pick(&[1900, 2000, 2030, 1899]).to_owned(), m, d)
    };
    let mut body = format!("{region}{y:04}{m:02}{d:02}{:03}", rng.range(0, 999));
    if !good && rng.chance(5) {
        body = format!("{region}{y:04}0230{:03}", rng.range(0, 999));
    }
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    let mut check = CHECK[(sum % 11) as usize] as char;
    if !good && rng.chance(15) {
        check = *rng.pick(&['0', '1', 'X', 'x', '9']);
    } else if check == 'X' && rng.chance(30) {
        check = 'x';
    }
    let mut id = format!("{body}{check}");
    if !good && rng.chance(4) {
        id.truncate(15);
    }
    id
}

fn uscc(rng: &mut Rng, good: bool) -> String {
    const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let mut body = String::new();
    body.push(*rng.pick(&['9', '1', '5', 'Y']));
    body.push(*rng.pick(&['1', '2', '3']));
    let region = *rng.pick(&["110105", "310000", "440300"]);
    body.push_str(region);
    for _ in 0..9 {
        body.push(ALPHABET[rng.below(31)] as char);
    }
    let sum: usize = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| ALPHABET.iter().position(|&a| a == b).unwrap_or(0) * w)
        .sum();
    let mut check = ALPHABET[(31 - sum % 31) % 31] as char;
    if !good && rng.chance(15) {
        check = ALPHABET[rng.below(31)] as char;
    }
    let mut code = format!("{body}{check}");
    if !good && rng.chance(5) {
        code = code.to_lowercase();
    }
    if !good && rng.chance(3) {
        code = code.replace('0', "O");
    }
    code
}

fn phone(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 | 1 => format!("1{}{:09}", rng.range(3, 9), rng.range(0, 999_999_999)),
        2 => format!(
            "0{}-{:08}",
            rng.pick(&["10", "21", "755", "571"]),
            rng.range(0, 99_999_999)
        ),
        3 => format!("+86 1{}{:09}", rng.range(3, 9), rng.range(0, 999_999_999)),
        4 => format!("1{}{:08}", rng.range(0, 9), rng.range(0, 99_999_999)),
        _ => rng
            .pick(&["", "110", "12345", "１３８００１３８０００", "400-800-8888"])
            .to_string(),
    }
}

/// How a case is built: most are plausible applications, some are complete (to reach accept
/// and accept_with_pledge), a few carry one structural defect.
struct Plan {
    /// Every field valid, every material provided (bar pledged ones).
    good: bool,
    /// Leave tolerable materials out and sign the pledge.
    pledge: bool,
    /// One defect in the whole submission, if any.
    junk: Option<usize>,
}

const JUNK_KINDS: usize = 9;

fn field_value(rng: &mut Rng, dates: &Dates, field: &qiquan::model::Field, good: bool) -> String {
    if !good && rng.chance(8) {
        // Empty and wrongly typed values the engine reads as missing or invalid.
        return rng
            .pick(&["null", "\"\"", "\"  \"", "true", "0"])
            .to_string();
    }
    let text = match field.kind {
        FieldKind::Text if good => match (&field.pattern, field.max_length) {
            (Some(_), _) => "ABC123".to_string(),
            (None, Some(max)) if max < 4 => "张".to_string(),
            _ => rng
                .pick(&["张三", "北京市朝阳区建国路88号", "ACME 有限公司 😀", "Zoë"])
                .to_string(),
        },
        FieldKind::Text => text_value(rng),
        FieldKind::Date if good => {
            let (y, m, d) = dates.date(rng);
            format!("{:04}-{m:02}-{d:02}", y.clamp(1990, 2030))
        }
        FieldKind::Date => dates.date_text(rng),
        FieldKind::Number | FieldKind::Integer => {
            let number = if good {
                let v = match (field.min, field.max) {
                    (Some(lo), Some(hi)) => *rng.pick(&[lo, hi, (lo + hi) / 2.0]),
                    (Some(lo), None) => lo + rng.range(0, 1000) as f64,
                    (None, Some(hi)) => hi - rng.range(0, 10) as f64,
                    (None, None) => rng.range(1, 100_000) as f64,
                };
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{}", v as i64)
                } else {
                    format!("{v:?}")
                }
            } else {
                number_literal(rng, field.min, field.max)
            };
            return if !good && rng.chance(8) {
                format!("\"{number}\"")
            } else {
                number
            };
        }
        FieldKind::Boolean if good => return rng.pick(&["true", "false"]).to_string(),
        FieldKind::Boolean => return rng.pick(&["true", "false", "\"true\"", "1"]).to_string(),
        FieldKind::Choice => {
            if !field.options.is_empty() && (good || rng.chance(85)) {
                rng.pick(&field.options).id.clone()
            } else {
                rng.pick(&["other", "", "OTHER", "其他"]).to_string()
            }
        }
        FieldKind::IdCard => id_card(rng, dates, good),
        FieldKind::Uscc => uscc(rng, good),
        FieldKind::Phone if good => format!("1{}{:09}", rng.range(3, 9), rng.range(0, 999_999_999)),
        FieldKind::Phone => phone(rng),
    };
    string_literal(rng, &text)
}

/// A JSON object from (key, raw value) pairs, compact or pretty.
fn object(rng: &mut Rng, entries: &[(String, String)], pretty: bool) -> String {
    if entries.is_empty() {
        return if pretty && rng.chance(50) {
            "{ }".into()
        } else {
            "{}".into()
        };
    }
    let (sep, open, close) = if pretty {
        (",\n  ", "{\n  ", "\n}")
    } else {
        (",", "{", "}")
    };
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| {
            format!(
                "{}:{}{v}",
                string_literal(rng, k),
                if pretty { " " } else { "" }
            )
        })
        .collect();
    format!("{open}{}{close}", body.join(sep))
}

/// Duplicates one entry (a raw duplicate key: JSON.parse would silently keep the last).
fn maybe_duplicate(rng: &mut Rng, entries: &mut Vec<(String, String)>, percent: usize) {
    if !entries.is_empty() && rng.chance(percent) {
        let i = rng.below(entries.len());
        let (key, _) = entries[i].clone();
        let value = entries[rng.below(entries.len())].1.clone();
        let at = rng.below(entries.len() + 1);
        entries.insert(at, (key, value));
    }
}

const KINDS: [&str; 6] = [
    "natural_person",
    "enterprise_legal_person",
    "institution_legal_person",
    "social_organization_legal_person",
    "administrative_organ",
    "other_organization",
];
const CHANNELS: [&str; 3] = ["window", "online", "kiosk"];
const PROCEDURES: [&str; 10] = [
    "hearing",
    "tender",
    "auction",
    "inspection",
    "testing",
    "quarantine",
    "appraisal",
    "expert_review",
    "site_survey",
    "public_notice",
];

fn submission(rng: &mut Rng, dates: &Dates, matter: &MatterFile) -> (String, Option<String>) {
    let good = rng.chance(40);
    let plan = Plan {
        good,
        pledge: good && rng.chance(40),
        junk: if rng.chance(20) {
            Some(rng.below(JUNK_KINDS))
        } else {
            None
        },
    };
    let junk = |n: usize| plan.junk == Some(n);
    let pretty = rng.chance(30);
    let mut top: Vec<(String, String)> = Vec::new();

    let kind = if junk(0) {
        "robot".to_string()
    } else if (plan.good || rng.chance(85)) && !matter.applicant_kinds.is_empty() {
        serde_json::to_value(rng.pick(&matter.applicant_kinds))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    } else {
        rng.pick(&KINDS).to_string()
    };
    let mut applicant = vec![("kind".to_string(), string_literal(rng, &kind))];
    if rng.chance(60) {
        let bad = rng.chance(if plan.good { 10 } else { 35 });
        applicant.push(("bad_credit".into(), bad.to_string()));
    }
    top.push(("applicant".into(), object(rng, &applicant, false)));

    if rng.chance(85) {
        let channel = if junk(1) { "fax" } else { rng.pick(&CHANNELS) };
        top.push(("channel".into(), string_literal(rng, channel)));
    }
    let (from, until) = (&matter.effective_from, matter.effective_until.as_deref());
    if junk(2) {
        let bad = if rng.chance(50) {
            "null".to_string()
        } else {
            {
                let bad = dates.bad_instant(rng);
                string_literal(rng, &bad)
            }
        };
        top.push(("received_at".into(), bad));
    } else {
        let instant = dates.instant(rng, from, until);
        top.push(("received_at".into(), string_literal(rng, &instant)));
    }

    let mut fields = Vec::new();
    for field in &matter.fields {
        if plan.good || rng.chance(85) {
            fields.push((field.id.clone(), field_value(rng, dates, field, plan.good)));
        }
    }
    if junk(3) {
        fields.push(("no_such_field".into(), "\"x\"".into()));
    }
    if junk(4) {
        maybe_duplicate(rng, &mut fields, 100);
    }
    if junk(5) && !fields.is_empty() {
        let i = rng.below(fields.len());
        fields[i].1 = rng.pick(&["[]", "{}", "[1,2]", "{\"a\":1}"]).to_string();
    }
    if !fields.is_empty() || rng.chance(50) {
        top.push(("fields".into(), object(rng, &fields, false)));
    }

    let mut materials = Vec::new();
    for material in &matter.materials {
        let pledged = plan.pledge && material.tolerable && rng.chance(70);
        if !(plan.good || rng.chance(85)) || (pledged && rng.chance(50)) {
            continue;
        }
        let status = if pledged {
            *rng.pick(&["missing", "flawed"])
        } else if plan.good {
            "provided"
        } else {
            *rng.pick(&[
                "provided",
                "provided",
                "provided",
                "flawed",
                "missing",
                "shared",
                "committed",
            ])
        };
        let mut entry = vec![("status".to_string(), format!("\"{status}\""))];
        if status == "shared" && rng.chance(70) {
            let reference = text_value(rng);
            entry.push(("reference".into(), string_literal(rng, &reference)));
        }
        if !plan.good && rng.chance(10) {
            entry.push(("copies".into(), rng.range(0, 3).to_string()));
        }
        if !plan.good && rng.chance(30) {
            let form = rng.pick(&["original", "copy", "original_and_copy"]);
            entry.push(("form".into(), format!("\"{form}\"")));
        }
        if !plan.good && rng.chance(25) {
            let medium = rng.pick(&["paper", "electronic"]);
            entry.push(("medium".into(), format!("\"{medium}\"")));
        }
        if status == "flawed" || rng.chance(5) {
            let note = if rng.chance(50) {
                "未加盖公章".to_string()
            } else {
                text_value(rng)
            };
            entry.push(("note".into(), string_literal(rng, &note)));
        }
        materials.push((material.id.clone(), object(rng, &entry, false)));
    }
    if junk(6) {
        match rng.below(3) {
            0 => materials.push((
                "no_such_material".into(),
                "{\"status\":\"provided\"}".into(),
            )),
            1 => materials.push((
                "applicant_id".into(),
                "{\"status\":\"provided\",\"pages\":3}".into(),
            )),
            _ => maybe_duplicate(rng, &mut materials, 100),
        }
    }
    top.push(("materials".into(), object(rng, &materials, false)));

    if plan.pledge || rng.chance(45) {
        top.push((
            "pledge_signed".into(),
            (plan.pledge || rng.chance(60)).to_string(),
        ));
    }
    if rng.chance(15) || junk(7) {
        let mut pauses = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let from = dates.date(rng);
            let to = shift(
                from,
                if junk(7) {
                    rng.range(-5, -1)
                } else {
                    rng.range(0, 40)
                },
            );
            let procedure = rng.pick(&PROCEDURES);
            pauses.push(format!(
                "{{\"procedure\":\"{procedure}\",\"from\":\"{:04}-{:02}-{:02}\",\"to\":\"{:04}-{:02}-{:02}\"}}",
                from.0, from.1, from.2, to.0, to.1, to.2
            ));
        }
        top.push(("pauses".into(), format!("[{}]", pauses.join(","))));
    }
    // Shuffle the top-level keys now and then; duplicate one as a defect.
    if rng.chance(20) {
        for i in (1..top.len()).rev() {
            top.swap(i, rng.below(i + 1));
        }
    }
    if junk(8) {
        maybe_duplicate(rng, &mut top, 100);
    }
    let text = object(rng, &top, pretty);

    let options = if rng.chance(20) {
        let mut entries = Vec::new();
        if rng.chance(70) {
            let instant = dates.instant(rng, from, until);
            entries.push(("received_at".into(), string_literal(rng, &instant)));
        }
        if rng.chance(50) {
            entries.push(("channel".into(), format!("\"{}\"", rng.pick(&CHANNELS))));
        }
        if rng.chance(3) {
            entries.push(("clock".into(), "1".into()));
        }
        Some(match rng.below(40) {
            0 => String::new(),
            1 => "null".into(),
            2 => "{".into(),
            _ => object(rng, &entries, false),
        })
    } else {
        None
    };
    (text, options)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// One generated case: its JSON line and the native output.
struct Case {
    line: serde_json::Value,
    output: String,
}

fn generate(engine: &Engine, per_matter: usize, seed: u64) -> Vec<Case> {
    let calendars: Vec<CalendarFile> = qiquan::embedded_sources()
        .iter()
        .filter(|s| s.path.starts_with("calendar/"))
        .filter_map(|s| toml::from_str(&s.text).ok())
        .collect();
    let mut rng = Rng(seed);
    let mut cases = Vec::new();
    for summary in engine.matters() {
        let versions: Vec<MatterFile> = summary
            .versions
            .iter()
            .filter_map(|v| {
                engine
                    .matter(&summary.id, Some(&v.effective_from))
                    .ok()
                    .cloned()
            })
            .collect();
        let mut edges: Vec<String> = Vec::new();
        for v in &summary.versions {
            edges.push(v.effective_from.clone());
            edges.extend(v.effective_until.clone());
        }
        let dates = Dates::new(&calendars, &edges);
        for n in 0..per_matter {
            let matter = rng.pick(&versions).clone();
            let (submission, options) = submission(&mut rng, &dates, &matter);
            // Now and then, a matter id that does not exist.
            let id = if rng.chance(1) {
                format!("{}_x", summary.id)
            } else {
                summary.id.clone()
            };
            let output = match engine.check_json(&id, &submission, options.as_deref()) {
                Ok(json) => json,
                Err(error) => error.to_json(),
            };
            cases.push(Case {
                line: serde_json::json!({
                    "kind": "check",
                    "matter": id,
                    "submission_text": submission,
                    "options_text": options,
                }),
                output,
            });
            if n % DEADLINE_EVERY == 0 {
                let from = dates.date_text(&mut rng);
                let days: i64 = match rng.below(20) {
                    0 => -1,
                    1 => 3651,
                    2 => 3650,
                    3 => i64::MIN,
                    4 => i64::MAX,
                    5 => 0,
                    _ => rng.range(1, 90),
                };
                let unit = *rng.pick(&[
                    "working",
                    "natural",
                    "working_days",
                    "natural_days",
                    "weeks",
                    "",
                ]);
                let output = match engine.deadline(&from, days, unit) {
                    Ok(answer) => qiquan::to_pretty_json(&answer),
                    Err(error) => error.to_json(),
                };
                cases.push(Case {
                    // days as a string: exact in JavaScript too (read as BigInt).
                    line: serde_json::json!({
                        "kind": "deadline",
                        "from": from,
                        "days": days.to_string(),
                        "unit": unit,
                    }),
                    output,
                });
            }
        }
    }
    cases
}

/// The CLI's path for an input file's bytes (`qiquan check --submission FILE`).
fn check_bytes(engine: &Engine, matter: &str, bytes: &[u8]) -> String {
    qiquan::utf8_input(bytes, "submission")
        .and_then(|text| engine.check_json(matter, text, None))
        .unwrap_or_else(|error| error.to_json())
}

/// Inputs around the size limit and inputs that are not UTF-8 (issue 13, item 7).
fn limit_cases(engine: &Engine) -> Vec<Case> {
    const MATTER: &str = "public_place_hygiene_license";
    let limit = qiquan::submission::MAX_SUBMISSION_BYTES;
    let prefix = r#"{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:00:00+08:00","fields":{"unit_name":""#;
    let suffix = r#""}}"#;
    let mut cases = Vec::new();
    for pad in ['x', '甲', '😀'] {
        for delta in [-2i64, -1, 0, 1, 2, 3] {
            let target = (limit as i64 + delta) as usize;
            // Whole characters up to the target or just past it: over the six targets, the
            // byte at the limit falls at every offset inside a 3- and a 4-byte character.
            let mut text = String::from(prefix);
            while text.len() + suffix.len() < target {
                text.push(pad);
            }
            text.push_str(suffix);
            let output = match engine.check_json(MATTER, &text, None) {
                Ok(json) => json,
                Err(error) => error.to_json(),
            };
            let bytes_output = check_bytes(engine, MATTER, text.as_bytes());
            cases.push(Case {
                line: serde_json::json!({
                    "kind": "check", "matter": MATTER, "submission_text": text, "options_text": null,
                }),
                output,
            });
            cases.push(Case {
                line: serde_json::json!({
                    "kind": "check_bytes", "matter": MATTER, "submission_text": text,
                }),
                output: bytes_output,
            });
        }
    }
    let small = format!("{prefix}甲乙{suffix}");
    let cut = small.find('乙').unwrap_or(0);
    let mut broken: Vec<Vec<u8>> = vec![
        [&small.as_bytes()[..cut + 1], &small.as_bytes()[cut + 3..]].concat(), // cut short
        [&small.as_bytes()[..cut], b"\xff", &small.as_bytes()[cut..]].concat(), // not UTF-8 at all
        [
            &small.as_bytes()[..cut],
            b"\xc0\xaf",
            &small.as_bytes()[cut..],
        ]
        .concat(), // overlong
        [
            &small.as_bytes()[..cut],
            b"\xed\xa0\x80",
            &small.as_bytes()[cut..],
        ]
        .concat(), // surrogate
        [b"\n\n".as_slice(), &small.as_bytes()[..cut], b"\x80"].concat(),      // line 3
    ];
    // Too large and not UTF-8: the size is checked first.
    let mut big = small.as_bytes().to_vec();
    big.resize(limit + 10, b' ');
    big[cut] = 0xff;
    broken.push(big);
    for bytes in broken {
        let output = check_bytes(engine, MATTER, &bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        cases.push(Case {
            line: serde_json::json!({ "kind": "check_bytes", "matter": MATTER, "submission_hex": hex }),
            output,
        });
    }
    cases
}

fn main() {
    let env_number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let per_matter =
        env_number("QIQUAN_DIFF_PER_MATTER").map_or(DEFAULT_PER_MATTER, |n| n as usize);
    let seed = env_number("QIQUAN_DIFF_SEED").unwrap_or(DEFAULT_SEED);
    let args: Vec<String> = std::env::args().skip(1).collect();

    let engine = match Engine::embedded() {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("{}", error.to_json());
            std::process::exit(2);
        }
    };
    let mut cases = generate(engine, per_matter, seed);
    cases.extend(limit_cases(engine));

    if let [flag, index] = &args[..]
        && flag == "--print"
    {
        match index.parse::<usize>().ok().and_then(|i| cases.get(i)) {
            Some(case) => println!("{}", case.output),
            None => {
                eprintln!("no case {index}");
                std::process::exit(2);
            }
        }
        return;
    }

    let out_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("differential");
    let path = out_dir.join("cases.jsonl");
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&out_dir)?;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for (i, case) in cases.iter().enumerate() {
            let mut line = case.line.clone();
            line["i"] = i.into();
            line["sha256"] = sha256_hex(&case.output).into();
            line["bytes"] = case.output.len().into();
            serde_json::to_writer(&mut file, &line)?;
            file.write_all(b"\n")?;
        }
        file.flush()
    };
    if let Err(e) = write() {
        eprintln!("differential: cannot write {}: {e}", path.display());
        std::process::exit(2);
    }
    let errors = cases
        .iter()
        .filter(|c| c.output.starts_with("{\n  \"error\""))
        .count();
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for case in &cases {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&case.output) {
            let key = v["outcome"]
                .as_str()
                .map(str::to_string)
                .or_else(|| v["error"]["code"].as_str().map(|c| format!("error:{c}")))
                .or_else(|| v["due"].as_str().map(|_| "deadline".to_string()))
                .unwrap_or_default();
            *outcomes.entry(key).or_default() += 1;
        }
    }
    eprintln!(
        "differential: {} cases ({} matters × {per_matter} checks + deadlines, seed {seed}; {errors} errors) → {}",
        cases.len(),
        engine.matters().len(),
        path.display()
    );
    eprintln!("differential: outputs by kind: {outcomes:?}");
}
