//! What the centre's supervisor sees: the open cases by lamp (the engine's case clock on
//! `as_of`), the 电子监察 figures by matter, channel or month, and the event export (one JSON
//! line per event, with the case's dues). Every number comes from the engine's clock of each
//! case; nothing here reckons a date.

use std::collections::BTreeMap;

use qiquan::case::CaseStage;
use qiquan::case::clock::{CaseClock, DueBasis, Lamp, StepLimit};
use qiquan::model::{CaseType, Text};
use serde::{Deserialize, Serialize};

use super::Register;
use super::audit::EventKind;
use super::cases::{self, CaseHead};
use super::error::{RegisterError, RegisterResult};
use crate::server::AppState;

/// `GET /v1/supervision/cases` filters.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseFilter {
    pub(crate) as_of: Option<String>,
    pub(crate) matter: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) lamp: Option<Lamp>,
    /// `YYYY-MM`: accepted in that month.
    pub(crate) month: Option<String>,
}

/// One case as the supervisor's list shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CaseLine {
    pub(crate) id: String,
    pub(crate) matter: String,
    pub(crate) matter_name: Text,
    pub(crate) channel: String,
    pub(crate) number: Option<String>,
    pub(crate) accepted_on: String,
    pub(crate) stage: CaseStage,
    pub(crate) stage_label: Text,
    pub(crate) assignee: Option<String>,
    pub(crate) lamp: Lamp,
    pub(crate) lamp_label: Text,
    pub(crate) due: String,
    pub(crate) due_basis: DueBasis,
    pub(crate) working_days_left: i64,
    pub(crate) promised_due: Option<String>,
    pub(crate) statutory_due: String,
    pub(crate) extended_due: Option<String>,
    pub(crate) limits: Vec<StepLimit>,
}

/// Each accepted case with its clock on `as_of` (a case whose record the engine refuses is
/// an error: the register never stores such a record).
async fn clocks(
    state: &AppState,
    reg: &Register,
    as_of: &str,
) -> RegisterResult<Vec<(CaseHead, Option<CaseClock>)>> {
    let mut out = Vec::new();
    // One connection for the whole read (SQLite's pool may hold only one).
    let mut conn = reg.db.pool.acquire().await?;
    for head in cases::heads(&mut *conn).await? {
        let clock = match &head.accepted_on {
            Some(accepted) if accepted.as_str() <= as_of => {
                let data = cases::load(&mut conn, &head.id).await?;
                Some(
                    state
                        .engine()
                        .case_clock(&head.matter, &data.records, as_of)?,
                )
            }
            _ => None,
        };
        out.push((head, clock));
    }
    Ok(out)
}

fn lamp_order(lamp: Lamp) -> u8 {
    match lamp {
        Lamp::Red => 0,
        Lamp::Yellow => 1,
        Lamp::Paused => 2,
        Lamp::Green => 3,
        Lamp::Off => 4,
    }
}

/// The cases on `as_of`, most urgent first (red, yellow, paused, green, finished; fewest
/// working days left first).
pub(crate) async fn case_list(
    state: &AppState,
    reg: &Register,
    as_of: &str,
    filter: &CaseFilter,
) -> RegisterResult<Vec<CaseLine>> {
    let mut lines = Vec::new();
    for (head, clock) in clocks(state, reg, as_of).await? {
        let Some(clock) = clock else { continue };
        let keep = filter.matter.as_ref().is_none_or(|m| *m == head.matter)
            && filter.channel.as_ref().is_none_or(|c| *c == head.channel)
            && filter.lamp.is_none_or(|l| l == clock.lamp)
            && filter
                .month
                .as_ref()
                .is_none_or(|m| clock.accepted_on.starts_with(m.as_str()));
        if !keep {
            continue;
        }
        let matter_name = state
            .engine()
            .matter(&head.matter, Some(&clock.accepted_on))
            .map(|m| m.name.clone())
            .unwrap_or_else(|_| Text {
                zh: head.matter.clone(),
                en: head.matter.clone(),
            });
        lines.push(CaseLine {
            id: head.id,
            matter: head.matter,
            matter_name,
            channel: head.channel,
            number: head.number,
            accepted_on: clock.accepted_on.clone(),
            stage: clock.stage,
            stage_label: clock.stage.label(),
            assignee: clock.assignee.clone(),
            lamp: clock.lamp,
            lamp_label: clock.lamp.label(),
            due: clock.due.clone(),
            due_basis: clock.due_basis,
            working_days_left: clock.working_days_left,
            promised_due: clock.promised_due.clone(),
            statutory_due: clock.statutory_due.clone(),
            extended_due: clock.extended_due.clone(),
            limits: clock.limits.clone(),
        });
    }
    lines.sort_by_key(|l| (lamp_order(l.lamp), l.working_days_left));
    Ok(lines)
}

/// How the figures are grouped.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum GroupBy {
    #[default]
    Matter,
    Channel,
    /// The window that received the application (the clerk's sign-in), else the channel.
    Window,
    Month,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FigureQuery {
    pub(crate) as_of: Option<String>,
    #[serde(default)]
    pub(crate) by: GroupBy,
}

/// The 电子监察 figures of one group (and of all, `group` = `all`).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Figures {
    pub(crate) group: String,
    /// How the group is shown: the matter's name, else the group itself.
    pub(crate) label: Text,
    /// 收件数: applications decided (accepted or not).
    pub(crate) received: u64,
    /// 受理数 (受理 and 容缺受理).
    pub(crate) accepted: u64,
    /// 办结数: accepted cases decided.
    pub(crate) closed: u64,
    /// 按期办结数: decided by the due (promised, or extended).
    pub(crate) on_time: u64,
    /// 按期办结率 = on_time / closed.
    pub(crate) on_time_rate: Option<f64>,
    /// 提前办结率: decided before the promised due / closed.
    pub(crate) early_rate: Option<f64>,
    /// 超期件数: open and red, or decided late.
    pub(crate) overdue: u64,
    /// 即办件占比: accepted cases of instant matters / accepted.
    pub(crate) instant_share: Option<f64>,
    /// 平均办理工作日: acceptance to decision, paused days not counted.
    pub(crate) average_working_days: Option<f64>,
    /// 补正率: 补正 notices / received.
    pub(crate) correction_rate: Option<f64>,
    /// 不予受理数.
    pub(crate) not_accepted: u64,
    /// 容缺 items overdue (the ledger).
    pub(crate) overdue_pledges: u64,
    #[serde(skip)]
    early: u64,
    #[serde(skip)]
    instant: u64,
    #[serde(skip)]
    corrections: u64,
    #[serde(skip)]
    working_days: u64,
}

/// The columns of the figures, in order, with their names (the page and the CSV use these).
pub(crate) const COLUMNS: [(&str, &str, &str); 13] = [
    ("group", "分组", "group"),
    ("received", "收件数", "received"),
    ("accepted", "受理数", "accepted"),
    ("closed", "办结数", "decided"),
    ("on_time", "按期办结数", "decided on time"),
    ("on_time_rate", "按期办结率", "on-time rate"),
    ("early_rate", "提前办结率", "early rate"),
    ("overdue", "超期件数", "overdue"),
    ("instant_share", "即办件占比", "instant share"),
    (
        "average_working_days",
        "平均办理工作日",
        "average working days",
    ),
    ("correction_rate", "补正率", "correction rate"),
    ("not_accepted", "不予受理数", "not accepted"),
    ("overdue_pledges", "逾期容缺件数", "overdue pledges"),
];

fn ratio(n: u64, d: u64) -> Option<f64> {
    // Rounded to 4 places so the JSON and the CSV print the same figure.
    (d > 0).then(|| (n as f64 / d as f64 * 10_000.0).round() / 10_000.0)
}

impl Figures {
    fn add(&mut self, head: &CaseHead, clock: Option<&CaseClock>, instant: bool, pledges: u64) {
        self.received += 1;
        match head.outcome.as_deref() {
            Some("correction_required") => self.corrections += 1,
            Some("not_accepted") => self.not_accepted += 1,
            _ => {}
        }
        self.overdue_pledges += pledges;
        let Some(clock) = clock else { return };
        self.accepted += 1;
        self.instant += u64::from(instant);
        if clock.decided_on.is_some() {
            self.closed += 1;
            self.on_time += u64::from(clock.on_time == Some(true));
            self.early += u64::from(clock.early == Some(true));
            self.working_days += u64::from(clock.working_days_used.unwrap_or(0));
        }
        if clock.on_time == Some(false) || (clock.decided_on.is_none() && clock.lamp == Lamp::Red) {
            self.overdue += 1;
        }
    }

    fn finish(mut self) -> Self {
        self.on_time_rate = ratio(self.on_time, self.closed);
        self.early_rate = ratio(self.early, self.closed);
        self.instant_share = ratio(self.instant, self.accepted);
        self.average_working_days = (self.closed > 0)
            .then(|| ((self.working_days as f64 / self.closed as f64) * 100.0).round() / 100.0);
        self.correction_rate = ratio(self.corrections, self.received);
        self
    }

    /// The CSV row, in [`COLUMNS`] order.
    fn csv_row(&self) -> Vec<String> {
        let opt = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
        vec![
            self.group.clone(),
            self.received.to_string(),
            self.accepted.to_string(),
            self.closed.to_string(),
            self.on_time.to_string(),
            opt(self.on_time_rate),
            opt(self.early_rate),
            self.overdue.to_string(),
            opt(self.instant_share),
            opt(self.average_working_days),
            opt(self.correction_rate),
            self.not_accepted.to_string(),
            self.overdue_pledges.to_string(),
        ]
    }
}

/// `GET /v1/supervision/figures`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FigureReport {
    pub(crate) as_of: String,
    pub(crate) by: GroupBy,
    pub(crate) columns: Vec<Column>,
    pub(crate) groups: Vec<Figures>,
    pub(crate) all: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Column {
    pub(crate) key: &'static str,
    pub(crate) label: Text,
}

async fn overdue_pledges(reg: &Register) -> RegisterResult<BTreeMap<String, u64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT application_id, COUNT(*) AS n FROM ledger WHERE status = $1 \
         GROUP BY application_id",
    )
    .bind(super::states::LedgerStatus::Overdue.as_str())
    .fetch_all(&reg.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

pub(crate) async fn figures(
    state: &AppState,
    reg: &Register,
    query: &FigureQuery,
    as_of: &str,
) -> RegisterResult<FigureReport> {
    let pledges = overdue_pledges(reg).await?;
    let mut groups: BTreeMap<String, Figures> = BTreeMap::new();
    let mut all = Figures {
        group: "all".into(),
        label: Text {
            zh: "合计".into(),
            en: "All".into(),
        },
        ..Figures::default()
    };
    for (head, clock) in clocks(state, reg, as_of).await? {
        let instant = clock.as_ref().is_some_and(|c| {
            state
                .engine()
                .matter(&head.matter, Some(&c.accepted_on))
                .is_ok_and(|m| m.case_type == CaseType::Instant)
        });
        let key = match query.by {
            GroupBy::Matter => head.matter.clone(),
            GroupBy::Channel => head.channel.clone(),
            GroupBy::Window => head.window.clone(),
            GroupBy::Month => head.created_at.get(..7).unwrap_or("").to_string(),
        };
        let owed = pledges.get(&head.id).copied().unwrap_or(0);
        let label = match query.by {
            GroupBy::Matter => state
                .engine()
                .matter(&head.matter, None)
                .map(|m| m.name.clone())
                .ok(),
            _ => None,
        }
        .unwrap_or_else(|| Text {
            zh: key.clone(),
            en: key.clone(),
        });
        let group = groups.entry(key.clone()).or_insert_with(|| Figures {
            group: key,
            label,
            ..Figures::default()
        });
        group.add(&head, clock.as_ref(), instant, owed);
        all.add(&head, clock.as_ref(), instant, owed);
    }
    Ok(FigureReport {
        as_of: as_of.to_string(),
        by: query.by,
        columns: COLUMNS
            .iter()
            .map(|(key, zh, en)| Column {
                key,
                label: Text {
                    zh: (*zh).into(),
                    en: (*en).into(),
                },
            })
            .collect(),
        groups: groups.into_values().map(Figures::finish).collect(),
        all: all.finish(),
    })
}

/// The figures as CSV (UTF-8 with a BOM, for spreadsheet programs), the total last.
pub(crate) fn figures_csv(report: &FigureReport) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = COLUMNS
        .iter()
        .map(|(_, zh, en)| format!("{zh} {en}"))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in report.groups.iter().chain(std::iter::once(&report.all)) {
        let cells: Vec<String> = row.csv_row().iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(text: &str) -> String {
    // A cell a spreadsheet would read as a formula is quoted with a leading apostrophe.
    let guarded = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The kinds of the 电子监察 export.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ExportKind {
    Application,
    Acceptance,
    Notice,
    Supplement,
    Review,
    PauseStart,
    PauseEnd,
    Extension,
    Decision,
    Service,
    Closed,
    Terminated,
}

fn export_kind(kind: EventKind, outcome: Option<&str>) -> Option<ExportKind> {
    use EventKind as K;
    Some(match kind {
        K::ApplicationCreated => ExportKind::Application,
        K::ApplicationDecided => match outcome {
            Some("accept" | "accept_with_pledge") => ExportKind::Acceptance,
            _ => ExportKind::Notice,
        },
        K::PledgeItemSupplied => ExportKind::Supplement,
        K::CaseReviewStarted => ExportKind::Review,
        K::CaseSpecialStarted | K::CaseSuspended => ExportKind::PauseStart,
        K::CaseSpecialEnded | K::CaseResumed => ExportKind::PauseEnd,
        K::CaseExtended => ExportKind::Extension,
        K::CaseDecided => ExportKind::Decision,
        K::CaseServed => ExportKind::Service,
        K::CaseClosed => ExportKind::Closed,
        K::CaseTerminated => ExportKind::Terminated,
        _ => return None,
    })
}

/// The case's dues on each line.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ExportDues {
    pub(crate) accepted_on: String,
    pub(crate) promised_due: Option<String>,
    pub(crate) statutory_due: String,
    pub(crate) extended_due: Option<String>,
    pub(crate) due: String,
    pub(crate) lamp: Lamp,
}

/// One line of the export.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ExportLine {
    pub(crate) application: String,
    pub(crate) matter: String,
    pub(crate) kind: ExportKind,
    pub(crate) event: EventKind,
    pub(crate) at: String,
    pub(crate) actor: String,
    /// The 受理 / 补正 / 不予受理 notice's 文号.
    pub(crate) number: Option<String>,
    pub(crate) dues: Option<ExportDues>,
}

/// Every event of every decided application, one JSON line each, in time order, with the
/// case's dues on `as_of`.
pub(crate) async fn export(
    state: &AppState,
    reg: &Register,
    as_of: &str,
) -> RegisterResult<String> {
    let cases: BTreeMap<String, (CaseHead, Option<CaseClock>)> = clocks(state, reg, as_of)
        .await?
        .into_iter()
        .map(|(h, c)| (h.id.clone(), (h, c)))
        .collect();
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT application_id, at, actor, kind FROM events WHERE application_id IS NOT NULL \
         ORDER BY at, ord",
    )
    .fetch_all(&reg.db.pool)
    .await?;
    let mut out = String::new();
    for (id, at, actor, kind) in rows {
        let Some((head, clock)) = cases.get(&id) else {
            continue;
        };
        let kind = EventKind::try_from(kind)?;
        let Some(export) = export_kind(kind, head.outcome.as_deref()) else {
            continue;
        };
        let line = ExportLine {
            application: id.clone(),
            matter: head.matter.clone(),
            kind: export,
            event: kind,
            at,
            actor,
            number: head.number.clone(),
            dues: clock.as_ref().map(|c| ExportDues {
                accepted_on: c.accepted_on.clone(),
                promised_due: c.promised_due.clone(),
                statutory_due: c.statutory_due.clone(),
                extended_due: c.extended_due.clone(),
                due: c.due.clone(),
                lamp: c.lamp,
            }),
        };
        out.push_str(&serde_json::to_string(&line).map_err(RegisterError::storage)?);
        out.push('\n');
    }
    Ok(out)
}
