//! Who may call what: ONE table. The access middleware reads it for every request (a route
//! without a row is refused: deny by default), `/v1/openapi.json` carries each row as its
//! operation's `x-roles`, and `server/tests/access.rs` walks every row with every kind of caller.

use serde::Serialize;

/// A kind of caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Role {
    /// Anyone, with no credential.
    Public,
    /// The holder of one application's capability (its secret), for that application only.
    Applicant,
    /// A registered self-service kiosk (a device principal of the identity provider).
    Kiosk,
    /// A clerk at a window (受理窗口).
    Clerk,
    /// The centre's supervisor: the 容缺 ledger's sweep, figures.
    Supervisor,
    /// Read-only: audit trails and, with a reason, the sealed answers.
    Auditor,
    /// Operations.
    Admin,
    /// An applicant signed in through the provincial identity platform (OIDC): lists their own
    /// applications (`/v1/me/…`) and nothing else. Never the capability holder [`Role::Applicant`]:
    /// such a token opens no `/v1/applications/{id}` route.
    ApplicantAccount,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Applicant => "applicant",
            Role::Kiosk => "kiosk",
            Role::Clerk => "clerk",
            Role::Supervisor => "supervisor",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
            Role::ApplicantAccount => "applicant_account",
        }
    }

    /// A role a token (or a proxy's assertion) may carry: the staff and device roles, and a
    /// signed-in applicant (`applicant` in the token: [`Role::ApplicantAccount`], never the
    /// capability role).
    pub(crate) fn from_claim(value: &str) -> Option<Role> {
        match value {
            "applicant" => Some(Role::ApplicantAccount),
            "kiosk" => Some(Role::Kiosk),
            "clerk" => Some(Role::Clerk),
            "supervisor" => Some(Role::Supervisor),
            "auditor" => Some(Role::Auditor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// One route: its method, template and who may call it.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) allow: &'static [Role],
    /// Every call reads personal data: it is an audit event, with a reason.
    pub(crate) personal: bool,
}

use Role::{Applicant, ApplicantAccount, Auditor, Clerk, Kiosk, Public, Supervisor};

const fn rule(
    method: &'static str,
    path: &'static str,
    allow: &'static [Role],
    personal: bool,
) -> Rule {
    Rule {
        method,
        path,
        allow,
        personal,
    }
}

/// Every route of `qiquan serve` (HEAD follows GET). `/dev-issuer/…` exists only with
/// `--dev-issuer`.
pub(crate) const TABLE: &[Rule] = &[
    rule("GET", "/healthz", &[Public], false),
    // Operational counters (no personal data); restrict at the network edge (docs/security.md).
    rule("GET", "/metrics", &[Public], false),
    rule("GET", "/v1/openapi.json", &[Public], false),
    rule("GET", "/v1/auth/config", &[Public], false),
    rule("GET", "/v1/matters", &[Public], false),
    rule("GET", "/v1/matters/{id}", &[Public], false),
    rule("POST", "/v1/matters/{id}/check", &[Public], false),
    rule("GET", "/v1/receipts/key", &[Public], false),
    rule("POST", "/v1/receipts/verify", &[Public], false),
    rule("GET", "/v1/rules/keys", &[Public], false),
    rule("GET", "/v1/rules/bundle.json", &[Public], false),
    rule("GET", "/v1/rules/files/{file}", &[Public], false),
    // Anyone may apply; the channel follows from who calls (access::channel).
    rule("POST", "/v1/applications", &[Public, Kiosk, Clerk], false),
    // The clerk's work queue: numbers, matters, states; no personal data.
    rule(
        "GET",
        "/v1/applications",
        &[Clerk, Supervisor, Auditor],
        false,
    ),
    rule("POST", "/v1/applications/lookup", &[Clerk], true),
    // A signed-in applicant's own applications (by the token's subject).
    rule("GET", "/v1/me/applications", &[ApplicantAccount], false),
    rule(
        "GET",
        "/v1/applications/{id}",
        &[Applicant, Clerk, Supervisor, Auditor],
        false,
    ),
    rule(
        "GET",
        "/v1/applications/{id}/answers",
        &[Clerk, Auditor],
        true,
    ),
    rule(
        "GET",
        "/v1/applications/{id}/document",
        &[Applicant, Clerk, Auditor],
        false,
    ),
    rule(
        "GET",
        "/v1/applications/{id}/events",
        &[Clerk, Supervisor, Auditor],
        false,
    ),
    rule(
        "POST",
        "/v1/applications/{id}/submit",
        &[Applicant, Clerk],
        false,
    ),
    rule(
        "PUT",
        "/v1/applications/{id}/materials/{material}",
        &[Applicant, Clerk],
        false,
    ),
    // A received file, for review: with a reason, audited.
    rule(
        "GET",
        "/v1/applications/{id}/materials/{material}",
        &[Clerk, Auditor],
        true,
    ),
    rule(
        "POST",
        "/v1/applications/{id}/materials/{material}/flaw",
        &[Clerk],
        false,
    ),
    // By number AND the verification code printed beside it; a wrong pair is 404 either way.
    rule("GET", "/v1/receipts/{number}", &[Public], false),
    rule("POST", "/v1/handover", &[Public, Kiosk], false),
    rule("GET", "/v1/handover/{code}", &[Clerk], true),
    // Draws any well-formed code without looking it up: it tells nothing.
    rule("GET", "/v1/handover/{code}/qr.svg", &[Public], false),
    rule("GET", "/v1/ledger", &[Clerk, Supervisor], false),
    rule("GET", "/v1/ledger.csv", &[Clerk, Supervisor], false),
    rule("POST", "/v1/ledger/sweep", &[Supervisor], false),
    // The case after acceptance (register/case_api.rs): clerks record its steps; the
    // supervisor and auditors read its clock.
    rule(
        "GET",
        "/v1/applications/{id}/case",
        &[Clerk, Supervisor, Auditor],
        false,
    ),
    rule("POST", "/v1/applications/{id}/case", &[Clerk], false),
    // A case document names the applicant: a staff read is a personal_data_read event.
    rule(
        "GET",
        "/v1/applications/{id}/case/documents/{seq}",
        &[Clerk, Auditor],
        false,
    ),
    // 电子监察: cases by lamp, the figures, the event export.
    rule("GET", "/v1/supervision/cases", &[Supervisor], false),
    rule("GET", "/v1/supervision/figures", &[Supervisor], false),
    rule("GET", "/v1/supervision/figures.csv", &[Supervisor], false),
    rule("GET", "/v1/supervision/events.jsonl", &[Supervisor], false),
    // The audit trail across applications (scrubbed details): read-only.
    rule("GET", "/v1/audit/events", &[Auditor], false),
    rule(
        "POST",
        "/v1/ledger/{entry}/supply",
        &[Clerk, Supervisor],
        false,
    ),
    rule(
        "POST",
        "/v1/ledger/{entry}/waive",
        &[Clerk, Supervisor],
        false,
    ),
    rule(
        "GET",
        "/dev-issuer/.well-known/openid-configuration",
        &[Public],
        false,
    ),
    rule("GET", "/dev-issuer/jwks", &[Public], false),
    rule("GET", "/dev-issuer/authorize", &[Public], false),
    rule("POST", "/dev-issuer/token", &[Public], false),
    // Debug builds with QIQUAN_TEST_PANIC_ROUTE=1 only.
    rule("GET", "/v1/test/panic", &[Public], false),
];

/// Routes with a rate limit (access::limit): 429 `rate_limited` past it.
pub(crate) const RATE_LIMITED: [&str; 3] = [
    "/v1/applications/lookup",
    "/v1/receipts/{number}",
    "/v1/handover/{code}",
];

/// Unknown paths under /v1 answer 404 to anyone (any method).
pub(crate) const NOT_FOUND_PATHS: [&str; 3] = ["/v1", "/v1/", "/v1/{*rest}"];

/// The row for `method` on the route template `path` (HEAD as GET).
pub(crate) fn find(method: &str, path: &str) -> Option<&'static Rule> {
    let method = if method == "HEAD" { "GET" } else { method };
    TABLE.iter().find(|r| r.path == path && r.method == method)
}

/// The roles as `x-roles` lists them.
pub(crate) fn role_names(rule: &Rule) -> Vec<&'static str> {
    rule.allow.iter().map(|r| r.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route template the server registers (the metrics' lists) has a row, and every row
    /// names a registered template: a route added without its row fails here.
    #[test]
    fn every_route_has_a_row() {
        let registered: Vec<&str> = crate::server::ROUTES
            .iter()
            .chain(crate::server::register::api::ROUTES.iter())
            .chain(crate::server::register::case_api::ROUTES.iter())
            .chain(crate::server::rules::ROUTES.iter())
            .chain(super::super::dev_issuer::ROUTES.iter())
            .chain(super::super::ROUTES.iter())
            .copied()
            .filter(|p| !NOT_FOUND_PATHS.contains(p))
            .collect();
        for path in &registered {
            assert!(
                TABLE.iter().any(|r| r.path == *path),
                "route {path} has no row in access::table::TABLE"
            );
        }
        for rule in TABLE {
            assert!(
                registered.contains(&rule.path),
                "row {} {} names no registered route",
                rule.method,
                rule.path
            );
            assert!(
                !rule.allow.is_empty(),
                "{} {} allows no one",
                rule.method,
                rule.path
            );
        }
    }

    /// Every row but the dev issuer's and the debug panic route is an operation of the OpenAPI
    /// document (which then carries its x-roles).
    #[test]
    fn every_row_is_described() {
        let doc: serde_json::Value =
            serde_json::from_str(crate::server::OPENAPI_JSON).expect("openapi.json is JSON");
        for rule in TABLE {
            if rule.path.starts_with("/dev-issuer/") || rule.path == "/v1/test/panic" {
                continue;
            }
            assert!(
                doc["paths"][rule.path][rule.method.to_ascii_lowercase()].is_object(),
                "{} {} is not in openapi.json",
                rule.method,
                rule.path
            );
        }
    }

    /// And the other way: every operation of the document is a row of the table (so it has
    /// its roles; a documented route without one would be refused to everyone).
    #[test]
    fn every_described_operation_is_a_row() {
        let doc: serde_json::Value =
            serde_json::from_str(crate::server::OPENAPI_JSON).expect("openapi.json is JSON");
        let paths = doc["paths"].as_object().expect("paths");
        for (path, operations) in paths {
            for method in operations.as_object().expect("operations").keys() {
                assert!(
                    TABLE
                        .iter()
                        .any(|rule| rule.path == path && rule.method.eq_ignore_ascii_case(method)),
                    "{method} {path} is in openapi.json but not in the access table"
                );
            }
        }
    }

    #[test]
    fn rows_are_unique() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {} twice",
                    a.method,
                    a.path
                );
            }
        }
    }
}
