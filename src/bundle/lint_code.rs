//! The stable codes of `qiquan lint` diagnostics (documented one by one in docs/lint.md, each
//! with a case in tests/lint/<code>/).

use serde::Serialize;

/// How much a diagnostic matters: an `error` keeps the rules from loading (and fails
/// `qiquan lint`); a `warning` does not (it fails `qiquan lint --deny-warnings` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Defines `LintCode` from one list, so the variants, their strings, their severities and
/// `LintCode::all()` cannot drift apart.
macro_rules! lint_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $severity:ident;)*) => {
        /// A lint diagnostic's stable code (serde: snake_case, the strings `qiquan lint` prints).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
        #[serde(rename_all = "snake_case")]
        pub enum LintCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl LintCode {
            const ALL: &'static [LintCode] = &[$(LintCode::$variant),*];

            /// The code as printed and serialized.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(LintCode::$variant => $name,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(LintCode::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

lint_codes! {
    /// The file is not valid TOML.
    Syntax = "syntax", Error;
    /// A key the rule format does not have (often a typo).
    UnknownKey = "unknown_key", Error;
    /// A required key is absent.
    MissingKey = "missing_key", Error;
    /// A value of the wrong type or out of its allowed set.
    InvalidValue = "invalid_value", Error;
    /// Any other JSON Schema violation (native `qiquan lint` only).
    Schema = "schema", Error;
    /// A time limit that cannot be counted (on the spot with a value, too long, an empty pledge).
    InvalidLimit = "invalid_limit", Error;
    /// An id that is not lower_snake_case ASCII.
    InvalidId = "invalid_id", Error;
    /// A date that is not `YYYY-MM-DD`, out of range, or before the date it must follow.
    InvalidDate = "invalid_date", Error;
    /// The same id (field, material, option, applicant kind) twice in one file.
    DuplicateId = "duplicate_id", Error;
    /// The promised limit surely ends after the statutory one.
    PromisedExceedsStatutory = "promised_exceeds_statutory", Error;
    /// A field attribute that does not apply to the field's type.
    AttributeNotApplicable = "attribute_not_applicable", Error;
    /// A range whose lower end is above its upper end.
    InvalidRange = "invalid_range", Error;
    /// A choice field without options.
    MissingOptions = "missing_options", Error;
    /// A field pattern that does not compile.
    InvalidRegex = "invalid_regex", Error;
    /// A key material (主件) marked tolerable (容缺).
    TolerableKeyMaterial = "tolerable_key_material", Error;
    /// A tolerable material on an instant matter (即办件).
    ToleranceOnInstantMatter = "tolerance_on_instant_matter", Error;
    /// A tolerable material without a pledge period.
    MissingPledgePeriod = "missing_pledge_period", Error;
    /// A pledge period on a material that is not tolerable.
    PledgePeriodWithoutTolerance = "pledge_period_without_tolerance", Error;
    /// A pledge period that surely ends after the promised limit.
    PledgeExceedsPromised = "pledge_exceeds_promised", Error;
    /// A condition that is malformed or compares a field with a value of another type.
    InvalidCondition = "invalid_condition", Error;
    /// A field's condition names a field defined after it.
    ConditionForwardReference = "condition_forward_reference", Error;
    /// A condition names a field the matter does not have.
    UnknownFieldInCondition = "unknown_field_in_condition", Error;
    /// A condition names an option the choice field does not have.
    UnknownOption = "unknown_option", Error;
    /// Two calendar files for the same year.
    DuplicateCalendarYear = "duplicate_calendar_year", Error;
    /// A calendar date outside its notice's range (1 December of the year before to 31 December).
    CalendarDateOutsideYear = "calendar_date_outside_year", Error;
    /// A date listed twice, or by two years' notices.
    CalendarConflict = "calendar_conflict", Error;
    /// A make-up working day (调休) that is not a Saturday or Sunday.
    MakeUpNotWeekend = "make_up_not_weekend", Error;
    /// Two versions of a matter with the same effective date or the same version label.
    DuplicateVersion = "duplicate_version", Error;
    /// A rules directory without any matter file.
    NoMatters = "no_matters", Error;
    /// Two versions of a matter in force on the same day.
    VersionsOverlap = "versions_overlap", Error;
    /// Days between two versions of a matter on which no version is in force.
    VersionsGap = "versions_gap", Error;
    /// An instant matter (即办件) whose promised limit is not on the spot.
    InstantNotOnTheSpot = "instant_not_on_the_spot", Error;
    /// The calendar has no notice for years in which a version is in force.
    CalendarNotCovering = "calendar_not_covering", Warning;
    /// Centre profile: a 文号 pattern without exactly one `{seq}` or with an unknown placeholder.
    InvalidNumberPattern = "invalid_number_pattern", Error;
    /// Centre profile: a time that is not `HH:MM` (00:00–23:59).
    InvalidTime = "invalid_time", Error;
    /// Centre profile: a phone that is neither a mobile number nor a landline with area code.
    InvalidPhone = "invalid_phone", Error;
    /// Centre profile: a text (office, address, seal, reconsideration body, court) left empty.
    EmptyText = "empty_text", Error;
    /// A `format` this engine does not read (it reads 1 and 2).
    UnsupportedFormat = "unsupported_format", Error;
    /// A format-2 key in a file without `format = 2`.
    FormatTooOld = "format_too_old", Error;
    /// A material marked `never_tolerable` (safety, environment) with `tolerable = true`.
    TolerableNeverTolerable = "tolerable_never_tolerable", Error;
    /// 告知承诺 on a key, never-tolerable or tolerable material.
    CommitmentNotAllowed = "commitment_not_allowed", Error;
    /// A material issued by a department that does not say whether it can be obtained by
    /// data sharing or from the electronic licence system.
    SharingUnmarked = "sharing_unmarked", Warning;
    /// `joint`/`forwarding` missing on their case type, or present on another one.
    CaseTypeDetails = "case_type_details", Error;
    /// A joint matter's limit beyond 行政许可法 §42(2) (45 days, extension 15).
    JointLimitExceeded = "joint_limit_exceeded", Error;
    /// A material group with unknown, shared, conditional, tolerable or mixed members, or a
    /// count that cannot be met.
    InvalidMaterialGroup = "invalid_material_group", Error;
    /// Format 3: no `addressee` field named (or one the matter lacks), so documents could not
    /// name the applicant; also `contact_fields` naming unknown fields.
    AddresseeMissing = "addressee_missing", Error;
}

impl LintCode {
    /// Every code, in declaration order.
    pub fn all() -> &'static [LintCode] {
        Self::ALL
    }
}

/// `diagnostic.code == "duplicate_id"` in tests and tools.
impl PartialEq<&str> for LintCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for LintCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_prints_its_serde_name() {
        let mut seen = std::collections::HashSet::new();
        for &code in LintCode::all() {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.as_str())
            );
            assert_eq!(code.to_string(), code.as_str());
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        assert_eq!(seen.len(), 46);
        for severity in [Severity::Error, Severity::Warning] {
            assert_eq!(
                serde_json::to_value(severity).unwrap(),
                serde_json::Value::from(severity.as_str())
            );
        }
    }
}
