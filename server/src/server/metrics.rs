//! Counters and a latency histogram in the Prometheus text format (version 0.0.4), per process.
//! Each replica counts its own traffic; Prometheus sums over replicas.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

pub(crate) const OUTCOMES: [&str; 4] = [
    "accept",
    "accept_with_pledge",
    "correction_required",
    "not_accepted",
];

/// The methods counted by name; every other method is counted as `other`, so a client cannot
/// create label values (and memory) by inventing methods.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"];

/// A method as a metrics label: one of [`METHODS`] or `other`.
pub(crate) fn method_label(method: &str) -> &'static str {
    METHODS
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("other")
}

/// A status as a metrics label: the status itself for those the server sends, else its class.
/// (hyper only lets 100–999 through; this keeps the set small whatever a handler returns.)
fn status_label(status: u16) -> u16 {
    match status {
        200..=599 => status,
        _ => 0,
    }
}

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(&'static str, &'static str, u16), u64>,
    latency: BTreeMap<&'static str, Histogram>,
    outcomes: BTreeMap<&'static str, u64>,
    digest_checks: BTreeMap<&'static str, u64>,
    receipts_issued: u64,
    receipt_verifications: BTreeMap<&'static str, u64>,
}

#[derive(Default)]
pub(crate) struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }

    /// Counts a request. `route` is a route template or a fixed name (never a raw path), and
    /// the method is bounded by [`method_label`], so the label sets stay small.
    pub(crate) fn request(&self, route: &'static str, method: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        let status = status_label(status);
        self.with(|m| {
            *m.requests.entry((route, method, status)).or_default() += 1;
            let h = m.latency.entry(route).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += seconds;
        });
    }

    pub(crate) fn outcome(&self, outcome: &'static str) {
        self.with(|m| *m.outcomes.entry(outcome).or_default() += 1);
    }

    pub(crate) fn digest_check(&self, matched: bool) {
        let key = if matched { "match" } else { "mismatch" };
        self.with(|m| *m.digest_checks.entry(key).or_default() += 1);
    }

    pub(crate) fn receipt_issued(&self) {
        self.with(|m| m.receipts_issued += 1);
    }

    pub(crate) fn receipt_verified(&self, result: &'static str) {
        self.with(|m| *m.receipt_verifications.entry(result).or_default() += 1);
    }

    pub(crate) fn render(&self, engine_version: &str, rules_digest: &str, key_id: &str) -> String {
        self.with(|m| {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "# HELP qiquan_build_info The engine version, rules digest and receipt key of this replica.\n\
                 # TYPE qiquan_build_info gauge\n\
                 qiquan_build_info{{engine_version=\"{}\",rules_digest=\"{}\",key_id=\"{}\"}} 1",
                label(engine_version),
                label(rules_digest),
                label(key_id)
            );
            out.push_str(
                "# HELP qiquan_http_requests_total HTTP requests by route template, method and status.\n\
                 # TYPE qiquan_http_requests_total counter\n",
            );
            for ((route, method, status), n) in &m.requests {
                let _ = writeln!(
                    out,
                    "qiquan_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                    label(route),
                    label(method)
                );
            }
            out.push_str(
                "# HELP qiquan_http_request_duration_seconds Time from request to response, by route template.\n\
                 # TYPE qiquan_http_request_duration_seconds histogram\n",
            );
            for (route, h) in &m.latency {
                let route = label(route);
                for (bound, n) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(
                        out,
                        "qiquan_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "qiquan_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                     qiquan_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                     qiquan_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
            out.push_str(
                "# HELP qiquan_check_outcomes_total Verdicts returned by POST /v1/matters/{id}/check, by outcome.\n\
                 # TYPE qiquan_check_outcomes_total counter\n",
            );
            for outcome in OUTCOMES {
                let n = m.outcomes.get(outcome).copied().unwrap_or(0);
                let _ = writeln!(out, "qiquan_check_outcomes_total{{outcome=\"{outcome}\"}} {n}");
            }
            let matched = m.digest_checks.get("match").copied().unwrap_or(0);
            let mismatched = m.digest_checks.get("mismatch").copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "# HELP qiquan_digest_checks_total Client verdict digests compared, by result.\n\
                 # TYPE qiquan_digest_checks_total counter\n\
                 qiquan_digest_checks_total{{result=\"match\"}} {matched}\n\
                 qiquan_digest_checks_total{{result=\"mismatch\"}} {mismatched}\n\
                 # HELP qiquan_digest_mismatches_total Client verdict digests that differ from the server's: stale rules or tampering.\n\
                 # TYPE qiquan_digest_mismatches_total counter\n\
                 qiquan_digest_mismatches_total {mismatched}\n\
                 # HELP qiquan_receipts_issued_total Signed receipts issued.\n\
                 # TYPE qiquan_receipts_issued_total counter\n\
                 qiquan_receipts_issued_total {}",
                m.receipts_issued
            );
            out.push_str(
                "# HELP qiquan_receipt_verifications_total Receipts verified, by result.\n\
                 # TYPE qiquan_receipt_verifications_total counter\n",
            );
            for result in [
                "valid",
                "unknown_key",
                "malformed_signature",
                "signature_mismatch",
            ] {
                let n = m.receipt_verifications.get(result).copied().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "qiquan_receipt_verifications_total{{result=\"{result}\"}} {n}"
                );
            }
            out
        })
    }
}

fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The active rules and, with `--bundle-url`, the bundle polls and refusals.
pub(crate) fn render_rules(
    rules_digest: &str,
    rules_revision: Option<&str>,
    poller: Option<&super::bundle::Poller>,
) -> String {
    let mut out = format!(
        "# HELP qiquan_rules_info The active rules: their digest and signed bundle revision (empty when not from a bundle).\n\
         # TYPE qiquan_rules_info gauge\n\
         qiquan_rules_info{{rules_digest=\"{}\",rules_revision=\"{}\"}} 1\n",
        label(rules_digest),
        label(rules_revision.unwrap_or_default())
    );
    let Some(poller) = poller else {
        return out;
    };
    let (polls, refused) = poller.counts();
    out.push_str(
        "# HELP qiquan_bundle_polls_total Polls of --bundle-url, by result.\n\
         # TYPE qiquan_bundle_polls_total counter\n",
    );
    for (result, n) in polls {
        let _ = writeln!(out, "qiquan_bundle_polls_total{{result=\"{result}\"}} {n}");
    }
    out.push_str(
        "# HELP qiquan_bundle_refused_total Bundles refused (bad signature, altered file, lint error…), by error code.\n\
         # TYPE qiquan_bundle_refused_total counter\n",
    );
    for (code, n) in refused {
        let _ = writeln!(
            out,
            "qiquan_bundle_refused_total{{code=\"{}\"}} {n}",
            label(code)
        );
    }
    out
}
