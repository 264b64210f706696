//! Check digits of Chinese identifiers, and phone number shapes.

use chrono::NaiveDate;

/// Why an identifier is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    /// Wrong length or characters.
    Format,
    /// Well-formed but the check character does not match.
    Checksum,
    /// The embedded birth date does not exist (ID card only).
    BirthDate,
    /// The embedded birth date is after the day of receipt (ID card only): nobody can hold a
    /// number issued for a birth that has not happened.
    BirthDateInFuture,
    /// The first two digits name no province (ID card only, GB/T 2260).
    Region,
}

/// The province-level codes of GB/T 2260 (the first two digits of an ID number's address code),
/// plus 71 台湾, 81 香港, 82 澳门 and 83 (居住证 numbers of Taiwan residents, 830000). County
/// codes are not checked: they change while the numbers issued under them stay valid.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// 居民身份证号码, GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check character (0–9 or X).
/// The 15-digit first-generation numbers are no longer valid identity documents and are refused.
/// `received_on` is the China-time day of receipt: a birth date after it is refused.
pub fn check_id_card(text: &str, received_on: NaiveDate) -> Result<(), IdProblem> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = text.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err(IdProblem::Format);
    }
    let last = bytes[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(IdProblem::Format);
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    if CHECK[(sum % 11) as usize] != last {
        return Err(IdProblem::Checksum);
    }
    let province = (bytes[0] - b'0') * 10 + (bytes[1] - b'0');
    if !PROVINCES.contains(&province) {
        return Err(IdProblem::Region);
    }
    let year: i32 = text[6..10].parse().map_err(|_| IdProblem::Format)?;
    let month: u32 = text[10..12].parse().map_err(|_| IdProblem::Format)?;
    let day: u32 = text[12..14].parse().map_err(|_| IdProblem::Format)?;
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(born) if born > received_on => Err(IdProblem::BirthDateInFuture),
        Some(_) if (1900..=2199).contains(&year) => Ok(()),
        _ => Err(IdProblem::BirthDate),
    }
}

/// 统一社会信用代码, GB 32100-2015: 17 characters + a MOD 31 check character, from an alphabet
/// without I, O, S, V, Z.
pub fn check_uscc(text: &str) -> Result<(), IdProblem> {
    const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let bytes = text.as_bytes();
    if bytes.len() != 18 {
        return Err(IdProblem::Format);
    }
    let mut values = [0u32; 18];
    for (slot, byte) in values.iter_mut().zip(bytes) {
        let upper = byte.to_ascii_uppercase();
        let position = ALPHABET
            .iter()
            .position(|&c| c == upper)
            .ok_or(IdProblem::Format)?;
        *slot = position as u32;
    }
    let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    if values[17] == check {
        Ok(())
    } else {
        Err(IdProblem::Checksum)
    }
}

/// A mainland mobile number (11 digits starting 13–19, optional +86) or a landline with area
/// code (0 + 2–3 digits, optional hyphen, 7–8 digits, optional extension).
pub fn is_phone(text: &str) -> bool {
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mobile = text.strip_prefix("+86").unwrap_or(text);
    let mobile = mobile.trim_start_matches([' ', '-']);
    if mobile.len() == 11
        && digits_only(mobile)
        && mobile.as_bytes()[0] == b'1'
        && (b'3'..=b'9').contains(&mobile.as_bytes()[1])
    {
        return true;
    }
    let (number, extension) = match text.matches('-').count() {
        0 | 1 => (text, None),
        _ => match text.rsplit_once('-') {
            Some((number, ext)) => (number, Some(ext)),
            None => (text, None),
        },
    };
    if let Some(ext) = extension
        && !(digits_only(ext) && ext.len() <= 6)
    {
        return false;
    }
    let compact: String = number.chars().filter(|&c| c != '-').collect();
    let hyphens = number.matches('-').count();
    if hyphens > 1 || !digits_only(&compact) || !compact.starts_with('0') {
        return false;
    }
    if let Some((area, local)) = number.split_once('-') {
        (3..=4).contains(&area.len()) && (7..=8).contains(&local.len())
    } else {
        (10..=12).contains(&compact.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    /// An ID number for the 17 digits, with its right check character.
    fn with_check(body: &str) -> String {
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
    }

    fn check(text: &str) -> Result<(), IdProblem> {
        check_id_card(text, day("2026-03-02"))
    }

    #[test]
    fn id_card_birth_date_after_receipt_is_invalid() {
        // Born on the day of receipt: valid (a newborn's number); the day after: invalid.
        let today = with_check("11010520260302002");
        let tomorrow = with_check("11010520260303002");
        assert_eq!(check(&today), Ok(()));
        assert_eq!(check(&tomorrow), Err(IdProblem::BirthDateInFuture));
        assert_eq!(
            check_id_card(&tomorrow, day("2026-03-03")),
            Ok(()),
            "the same number is valid once the day has come"
        );
        let far = with_check("11010521990101002");
        assert_eq!(check(&far), Err(IdProblem::BirthDateInFuture));
        // A date that does not exist is still that problem, not a future one.
        assert_eq!(
            check(&with_check("11010520990230002")),
            Err(IdProblem::BirthDate)
        );
    }

    #[test]
    fn id_card_check_digit() {
        // The GB 11643-1999 worked example.
        assert_eq!(check("11010519491231002X"), Ok(()));
        assert_eq!(check("11010519491231002x"), Ok(()));
        assert_eq!(check("110105194912310021"), Err(IdProblem::Checksum));
        assert_eq!(check("1101051949123100"), Err(IdProblem::Format));
        assert_eq!(check("11010519491331002X"), Err(IdProblem::Checksum));
        assert_eq!(
            check("１１０１０５１９４９１２３１００２Ｘ"),
            Err(IdProblem::Format)
        );
    }

    #[test]
    fn id_card_province_must_exist() {
        // Check digits right, address codes no province at all (GB/T 2260).
        for nowhere in [
            "00000019900101002",
            "99010119900101002",
            "55010119900101002",
        ] {
            assert_eq!(
                check(&with_check(nowhere)),
                Err(IdProblem::Region),
                "{nowhere}"
            );
        }
        // Every province-level code; counties are not checked (999 is no county of 北京).
        for province in PROVINCES {
            let number = with_check(&format!("{province:02}999919900101002"));
            assert_eq!(check(&number), Ok(()), "{number}");
        }
    }

    #[test]
    fn id_card_birth_date_must_exist() {
        // 1949-02-30 does not exist; the check digit is right for these 17 digits.
        assert_eq!(
            check(&with_check("11010519490230002")),
            Err(IdProblem::BirthDate)
        );
    }

    #[test]
    fn uscc_check_character() {
        assert_eq!(check_uscc("91110000802100433B"), Ok(()));
        assert_eq!(check_uscc("91110000802100433b"), Ok(()));
        assert_eq!(check_uscc("91110000802100433C"), Err(IdProblem::Checksum));
        assert_eq!(check_uscc("91350100M000100Y43"), Ok(()));
        assert_eq!(check_uscc("91350100M000100Y44"), Err(IdProblem::Checksum));
        assert_eq!(check_uscc("91350100M000100YI3"), Err(IdProblem::Format));
        assert_eq!(check_uscc("9135"), Err(IdProblem::Format));
    }

    #[test]
    fn phones() {
        for ok in [
            "13800138000",
            "+8613800138000",
            "010-12345678",
            "0755-1234567",
            "02112345678",
            "010-12345678-123",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "12800138000",
            "1380013800",
            "12345678",
            "abc",
            "",
            "010-123",
            "010-12345678-abcdefg",
            "0-10-12345678",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }
}
