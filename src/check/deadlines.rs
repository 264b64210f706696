//! Deadlines: the acceptance day, the promised and statutory due dates, the pledge's due dates.

use chrono::NaiveDate;

use crate::calendar::{Calendar, Pause, Reckoner, format_date};
use crate::error::Result;
use crate::model::{ClockStart, Material, MatterFile};
use crate::verdict::{DeadlineBasis, Deadlines, ForwardingDeadline, Outcome, Pledge, PledgeItem};

use super::Intake;
use super::decide::Decision;

pub(super) struct Reckoned<'r> {
    pub deadlines: Deadlines,
    /// Each pledgeable material with a pledge period, and its due date when the pledge is
    /// available (none is reckoned for a pledge that cannot be made).
    pub pledge_items: Vec<(&'r Material, Option<NaiveDate>)>,
}

pub(super) fn reckon<'r>(
    calendar: &Calendar,
    rule: &MatterFile,
    intake: &Intake<'_>,
    decision: &Decision,
    pledgeable: &[&'r Material],
) -> Result<Reckoned<'r>> {
    let (received_on, pauses) = (intake.received_on, &intake.pauses);
    let mut reckoner = calendar.reckoner();
    let before_cutoff = intake
        .online_cutoff
        .is_some_and(|cutoff| intake.received.time() < cutoff);
    let accepted_on = match intake.channel {
        // Online: from the next working day, unless received on a working day before the
        // centre's cut-off.
        channel if channel.is_online() && !before_cutoff => {
            reckoner.working_day_after(received_on)?
        }
        _ => reckoner.working_day_on_or_after(received_on)?,
    };
    // The statutory limit runs from acceptance (行政许可法 §42); only the promised clock may
    // wait for the materials a 容缺受理 leaves outstanding (补办件).
    let clocks = rule.clock_starts.per_limit();
    let promised_waits = clocks.promised == ClockStart::MaterialsComplete
        && decision.outcome == Outcome::AcceptWithPledge;
    let promised_due = match promised_waits {
        true => None,
        false => Some(reckoner.due(accepted_on, rule.promised_limit, pauses)?),
    };
    let statutory_due = reckoner.due(accepted_on, rule.statutory_limit, pauses)?;
    let statutory_extended_due = match rule.statutory_extension {
        Some(extension) => Some(reckoner.due(statutory_due, extension, pauses)?),
        None => None,
    };
    let pledge_items = pledge_items(
        &mut reckoner,
        accepted_on,
        pledgeable,
        decision.pledge_available,
    )?;
    let pledge_due = pledge_items.iter().filter_map(|(_, due)| *due).min();
    let forwarding = match &rule.forwarding {
        Some(f) => Some(ForwardingDeadline {
            authority: f.authority.clone(),
            forward_due: format_date(reckoner.due(accepted_on, f.forward_within, pauses)?),
            authority_limit: f.authority_limit,
            basis: f.basis.clone(),
        }),
        None => None,
    };
    let provisional = reckoner.provisional() || !calendar.covers(received_on);
    Ok(Reckoned {
        deadlines: Deadlines {
            basis: DeadlineBasis::of(decision.outcome),
            received_on: format_date(received_on),
            accepted_on: format_date(accepted_on),
            clock_starts: clocks,
            promised_due: promised_due.map(format_date),
            statutory_due: format_date(statutory_due),
            statutory_extended_due: statutory_extended_due.map(format_date),
            pledge_due: pledge_due.map(format_date),
            paused_days: count_paused_days(pauses, accepted_on),
            provisional,
            forwarding,
            online_cutoff: match intake.channel.is_online() {
                true => intake.online_cutoff.map(|c| {
                    use chrono::Timelike;
                    format!("{:02}:{:02}", c.hour(), c.minute())
                }),
                false => None,
            },
        },
        pledge_items,
    })
}

/// The pledge as the verdict reports it.
pub(super) fn pledge(
    rule: &MatterFile,
    decision: &Decision,
    signed: bool,
    items: Vec<(&Material, Option<NaiveDate>)>,
) -> Pledge {
    let pledge_due = items.iter().filter_map(|(_, due)| *due).min();
    let available = decision.pledge_available;
    let ledger = rule.pledge_ledger.clone().unwrap_or_default();
    Pledge {
        items: items
            .into_iter()
            .map(|(m, due)| PledgeItem {
                material: m.id.clone(),
                name: m.name.clone(),
                due: due.map(format_date),
            })
            .collect(),
        applicant_eligible: decision.applicant_eligible,
        would_accept: decision.pledge_available,
        signed,
        pledge_due: pledge_due.map(format_date),
        blocked_by: decision.blocked_by.clone(),
        terms: rule.pledge_terms.clone(),
        consequence: available.then(|| crate::notice::broken_pledge_words(&ledger)),
        consequence_basis: available.then(|| ledger.basis.clone()),
    }
}

/// The pledgeable materials, each with its due date if the pledge is available.
fn pledge_items<'r>(
    reckoner: &mut Reckoner<'_>,
    accepted_on: NaiveDate,
    materials: &[&'r Material],
    available: bool,
) -> Result<Vec<(&'r Material, Option<NaiveDate>)>> {
    materials
        .iter()
        .filter_map(|m| m.pledge_period.map(|period| (*m, period)))
        .map(|(m, period)| {
            let due = match available {
                true => Some(reckoner.due(accepted_on, period, &[])?),
                false => None,
            };
            Ok((m, due))
        })
        .collect()
}

fn count_paused_days(pauses: &[Pause], after: NaiveDate) -> u32 {
    let mut days: Vec<NaiveDate> = pauses
        .iter()
        .flat_map(|p| p.from.iter_days().take_while(move |d| *d <= p.to))
        .filter(|d| *d > after)
        .collect();
    crate::order::sort_by(&mut days, |a, b| a.cmp(b));
    days.dedup();
    u32::try_from(days.len()).unwrap_or(u32::MAX)
}
