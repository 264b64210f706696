//! The case clock against `qiquan deadline`: every due equals the deadline computed from the
//! same start and days on the same calendar (pauses moving the start to the pause's end).

use super::*;
use crate::case::ServiceMethod;

fn calendar() -> &'static Calendar {
    crate::Engine::embedded()
        .expect("rules")
        .bundle()
        .calendar()
}

fn working(value: u32) -> TimeLimit {
    TimeLimit {
        value,
        unit: LimitUnit::WorkingDays,
    }
}

/// 承诺 10, 法定 20 (+10) working days, as most 承诺件.
fn terms() -> CaseTerms {
    CaseTerms {
        promised: working(10),
        statutory: working(20),
        extension: Some(working(10)),
        promised_start: ClockStart::Acceptance,
        warning_days: DEFAULT_WARNING_DAYS,
        gate: PledgeGate::Decision,
    }
}

/// What `qiquan deadline FROM DAYS working` answers.
fn deadline(from: &str, days: i64) -> String {
    calendar()
        .deadline(from, days, "working")
        .expect("deadline")
        .due
}

fn at(on: &str, event: CaseEvent) -> CaseRecord {
    CaseRecord {
        on: on.into(),
        event,
    }
}

fn accepted(on: &str) -> CaseRecord {
    at(on, CaseEvent::Accepted { pledged: false })
}

fn review(on: &str) -> CaseRecord {
    at(
        on,
        CaseEvent::ReviewStarted {
            assignee: "李审".into(),
        },
    )
}

fn special(on: &str, procedure: SpecialProcedure, hearing_on: Option<&str>) -> CaseRecord {
    at(
        on,
        CaseEvent::SpecialStarted {
            procedure,
            reason: "委托检测机构检测".into(),
            planned_days: 10,
            approver: "王局长".into(),
            hearing_on: hearing_on.map(str::to_string),
        },
    )
}

fn extended(on: &str) -> CaseRecord {
    at(
        on,
        CaseEvent::Extended {
            approver: "王局长".into(),
            reason: "需现场核查".into(),
        },
    )
}

fn decided(on: &str) -> CaseRecord {
    at(
        on,
        CaseEvent::Decided {
            granted: true,
            reasons: vec![],
        },
    )
}

fn clock(records: &[CaseRecord], as_of: &str) -> CaseClock {
    case_clock(calendar(), &terms(), records, as_of).expect("clock")
}

fn refusal(records: &[CaseRecord], as_of: &str) -> Vec<String> {
    let error = case_clock(calendar(), &terms(), records, as_of).expect_err("refused");
    assert_eq!(error.code, ErrorCode::InvalidCaseEvent);
    error.details
}

#[test]
fn a_plain_case_counts_from_acceptance() {
    let c = clock(
        &[accepted("2026-03-02"), review("2026-03-02")],
        "2026-03-03",
    );
    assert_eq!(
        c.promised_due.as_deref(),
        Some(deadline("2026-03-02", 10).as_str())
    );
    assert_eq!(c.statutory_due, deadline("2026-03-02", 20));
    assert_eq!(c.extended_due, None);
    assert_eq!(
        (c.due_basis, c.lamp, c.stage),
        (DueBasis::Promised, Lamp::Green, CaseStage::Reviewing)
    );
    assert_eq!(c.working_days_left, 9);
    assert_eq!(c.assignee.as_deref(), Some("李审"));
}

#[test]
fn a_pause_across_the_spring_festival_moves_every_due() {
    // Accepted Monday 2 February 2026; 4 working days counted (3–6 Feb); tests from Friday 6
    // February (still counted) to Monday 2 March (春节 15–23 Feb inside the pause).
    let records = [
        accepted("2026-02-02"),
        review("2026-02-02"),
        special("2026-02-06", SpecialProcedure::Testing, None),
        at("2026-03-02", CaseEvent::SpecialEnded),
    ];
    let c = clock(&records, "2026-03-02");
    assert_eq!(
        c.promised_due.as_deref(),
        Some(deadline("2026-03-02", 6).as_str())
    );
    assert_eq!(c.statutory_due, deadline("2026-03-02", 16));
    assert_eq!(c.lamp, Lamp::Green);
    // Paused working days: 9–13 Feb, 14 Feb and 28 Feb (调休 workdays), 24–27 Feb, 2 Mar.
    assert_eq!(c.paused_days, 12);
    assert_eq!(
        c.pauses[0].planned_end.as_deref(),
        Some(deadline("2026-02-06", 10).as_str())
    );
    // While it stands, the lamp says so and the due moves day by day.
    let during = clock(&records, "2026-02-25");
    assert_eq!(
        (during.lamp, during.stage),
        (Lamp::Paused, CaseStage::SpecialProcedure)
    );
    assert_eq!(
        during.promised_due.as_deref(),
        Some(deadline("2026-02-25", 6).as_str())
    );
    assert_eq!(during.pauses[0].to, None);
}

#[test]
fn a_pause_across_national_day() {
    // Accepted Monday 21 September 2026; counted 22–24 Sep (3; 中秋节 falls on Friday 25
    // Sep); expert review from 24 Sep to 12 Oct (国庆节 1–7 Oct, 调休 Saturday 10 Oct inside).
    let records = [
        accepted("2026-09-21"),
        review("2026-09-21"),
        special("2026-09-24", SpecialProcedure::ExpertReview, None),
        at("2026-10-12", CaseEvent::SpecialEnded),
    ];
    let c = clock(&records, "2026-10-13");
    assert_eq!(
        c.promised_due.as_deref(),
        Some(deadline("2026-10-12", 7).as_str())
    );
    assert_eq!(c.statutory_due, deadline("2026-10-12", 17));
    assert_eq!(c.paused_days, 7);
}

#[test]
fn an_extension_after_a_pause_adds_to_the_paused_statutory_due() {
    let records = [
        accepted("2026-02-02"),
        review("2026-02-02"),
        special("2026-02-06", SpecialProcedure::Testing, None),
        at("2026-03-02", CaseEvent::SpecialEnded),
        extended("2026-03-16"),
    ];
    let c = clock(&records, "2026-03-16");
    assert_eq!(c.statutory_due, deadline("2026-03-02", 16));
    assert_eq!(
        c.extended_due.as_deref(),
        Some(deadline("2026-03-02", 26).as_str())
    );
    assert_eq!(
        (c.due.as_str(), c.due_basis),
        (deadline("2026-03-02", 26).as_str(), DueBasis::Extended)
    );
    // Once only, and within the statutory period.
    let mut twice = records.to_vec();
    twice.push(extended("2026-03-17"));
    assert_eq!(refusal(&twice, "2026-03-17"), ["already_extended"]);
    let mut late = records[..4].to_vec();
    let after = deadline(&deadline("2026-03-02", 16), 1);
    late.push(extended(&after));
    assert_eq!(refusal(&late, &after), ["extension_too_late"]);
}

#[test]
fn a_pause_before_acceptance_is_refused() {
    let records = [
        special("2026-03-02", SpecialProcedure::Testing, None),
        accepted("2026-03-03"),
    ];
    assert_eq!(refusal(&records, "2026-03-05"), ["not_accepted"]);
    // Out of order, too.
    let records = [accepted("2026-03-03"), review("2026-03-02")];
    assert_eq!(
        refusal(&records, "2026-03-05"),
        ["wrong_stage", "out_of_order"]
    );
    // Nothing accepted by the day asked about.
    let error = case_clock(
        calendar(),
        &terms(),
        &[accepted("2026-03-03")],
        "2026-03-02",
    )
    .expect_err("no acceptance yet");
    assert_eq!(error.code, ErrorCode::InvalidCaseEvent);
}

#[test]
fn a_pledge_overdue_before_the_decision() {
    let pledged = [
        at("2026-03-02", CaseEvent::Accepted { pledged: true }),
        review("2026-03-02"),
    ];
    // Not decided while items are outstanding (容缺后补).
    let mut deciding = pledged.to_vec();
    deciding.push(decided("2026-03-05"));
    assert_eq!(refusal(&deciding, "2026-03-05"), ["pledge_outstanding"]);
    // 补齐出证: decided, but not served until the items arrive.
    let issue = CaseTerms {
        gate: PledgeGate::Issue,
        ..terms()
    };
    let mut serving = deciding.clone();
    serving.push(at(
        "2026-03-06",
        CaseEvent::Served {
            method: ServiceMethod::InPerson,
        },
    ));
    let error = case_clock(calendar(), &issue, &serving, "2026-03-06").expect_err("withheld");
    assert_eq!(error.details, ["licence_withheld"]);
    // Overdue: suspended (the clock stands), then terminated (the case ends).
    let mut broken = pledged.to_vec();
    broken.push(at("2026-03-09", CaseEvent::PledgeSuspended));
    let c = clock(&broken, "2026-03-20");
    assert_eq!((c.stage, c.lamp), (CaseStage::Suspended, Lamp::Paused));
    assert_eq!(
        c.promised_due.as_deref(),
        Some(deadline("2026-03-20", 5).as_str())
    );
    broken.push(at("2026-03-30", CaseEvent::PledgeTerminated));
    let c = clock(&broken, "2026-04-01");
    assert_eq!((c.stage, c.lamp), (CaseStage::Terminated, Lamp::Off));
    assert_eq!(
        c.promised_due.as_deref(),
        Some(deadline("2026-03-30", 5).as_str())
    );
}

#[test]
fn the_promised_clock_may_wait_for_the_materials() {
    let waiting = CaseTerms {
        promised_start: ClockStart::MaterialsComplete,
        ..terms()
    };
    let records = [
        at("2026-03-02", CaseEvent::Accepted { pledged: true }),
        review("2026-03-02"),
        at("2026-03-10", CaseEvent::PledgeKept),
    ];
    let c = case_clock(calendar(), &waiting, &records, "2026-03-05").expect("clock");
    assert_eq!((c.promised_due, c.due_basis), (None, DueBasis::Statutory));
    assert_eq!(c.due, deadline("2026-03-02", 20));
    let c = case_clock(calendar(), &waiting, &records, "2026-03-10").expect("clock");
    assert_eq!(
        c.promised_due.as_deref(),
        Some(deadline("2026-03-10", 10).as_str())
    );
}

#[test]
fn the_lamp_turns_yellow_then_red_as_the_day_moves() {
    let records = [accepted("2026-03-02"), review("2026-03-02")];
    let due = deadline("2026-03-02", 10);
    let before = |n| {
        calendar()
            .reckoner()
            .working_days_before(parse_date(&due).expect("date"), n)
            .map(format_date)
            .expect("day")
    };
    let lamp = |day: &str| clock(&records, day).lamp;
    assert_eq!(lamp(&before(2)), Lamp::Green);
    assert_eq!(lamp(&before(1)), Lamp::Yellow);
    assert_eq!(lamp(&due), Lamp::Yellow);
    assert_eq!(clock(&records, &due).working_days_left, 0);
    let after = deadline(&due, 1);
    assert_eq!(lamp(&after), Lamp::Red);
    assert_eq!(clock(&records, &after).working_days_left, -1);
    // A wider warning reach from the centre profile.
    let wide = CaseTerms {
        warning_days: 3,
        ..terms()
    };
    let c = case_clock(calendar(), &wide, &records, &before(3)).expect("clock");
    assert_eq!(c.lamp, Lamp::Yellow);
}

#[test]
fn the_decision_is_served_within_ten_days() {
    let mut records = vec![
        accepted("2026-03-02"),
        review("2026-03-02"),
        decided("2026-03-09"),
    ];
    let c = clock(&records, "2026-03-10");
    let service_due = deadline("2026-03-09", 10);
    assert_eq!(c.limits[0].step, StepKind::Service);
    assert_eq!(c.limits[0].due, service_due);
    assert_eq!(
        (c.lamp, c.on_time, c.early),
        (Lamp::Green, Some(true), Some(true))
    );
    assert_eq!(c.working_days_used, Some(5));
    let late = deadline(&service_due, 1);
    assert_eq!(clock(&records, &late).lamp, Lamp::Red);
    records.push(at(
        "2026-03-12",
        CaseEvent::Served {
            method: ServiceMethod::Post,
        },
    ));
    records.push(at("2026-03-13", CaseEvent::Closed));
    let c = clock(&records, &late);
    assert_eq!(
        (c.stage, c.lamp, c.limits.len()),
        (CaseStage::Closed, Lamp::Off, 0)
    );
    assert_eq!(c.closed_on.as_deref(), Some("2026-03-13"));
}

#[test]
fn a_late_decision_is_not_on_time() {
    let due = deadline("2026-03-02", 10);
    let late = deadline(&due, 2);
    let records = [accepted("2026-03-02"), review("2026-03-02"), decided(&late)];
    let c = clock(&records, &late);
    assert_eq!((c.on_time, c.early), (Some(false), Some(false)));
    assert_eq!(c.working_days_used, Some(12));
}

#[test]
fn hearings_have_their_own_limits() {
    let offered = [
        accepted("2026-03-02"),
        review("2026-03-02"),
        at("2026-03-03", CaseEvent::HearingOffered),
    ];
    let c = clock(&offered, "2026-03-04");
    assert_eq!(c.limits[0].step, StepKind::HearingRequest);
    assert_eq!(c.limits[0].due, deadline("2026-03-03", 5));
    let mut held = offered.to_vec();
    held.push(special(
        "2026-03-06",
        SpecialProcedure::Hearing,
        Some("2026-03-25"),
    ));
    let c = clock(&held, "2026-03-09");
    assert_eq!(c.lamp, Lamp::Paused);
    assert_eq!(c.limits[0].step, StepKind::HearingHeld);
    assert_eq!(c.limits[0].due, deadline("2026-03-06", 20));
    assert_eq!(c.limits[1].step, StepKind::HearingNotice);
    let notice = &c.limits[1].due;
    assert_eq!(deadline(notice, 7), "2026-03-25");
    // The notice not sent by its day: red even while the clock stands.
    assert_eq!(clock(&held, "2026-03-18").lamp, Lamp::Red);
}

#[test]
fn the_engine_reads_the_matter_in_force_on_the_acceptance_day() {
    let engine = crate::Engine::embedded().expect("rules");
    // food_business_license 2023-12: 承诺 5, 法定 10 (+5) working days.
    let input = r#"{"matter":"food_business_license","as_of":"2026-03-04","events":[
        {"on":"2026-03-02","event":"accepted"},
        {"on":"2026-03-02","event":"review_started","assignee":"李审"},
        {"on":"2026-03-03","event":"extended","approver":"王局长","reason":"需现场核查"}]}"#;
    let json = engine.case_clock_json(input).expect("clock");
    let clock: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(clock["promised_due"], deadline("2026-03-02", 5));
    assert_eq!(clock["statutory_due"], deadline("2026-03-02", 10));
    assert_eq!(clock["extended_due"], deadline("2026-03-02", 15));
    assert_eq!(clock["due_basis"], "extended");
    assert_eq!(clock["lamp"], "green");
    let bad = engine
        .case_clock_json(r#"{"matter":"food_business_license","as_of":"2026-03-04","events":[{"on":"2026-03-02","event":"decided","granted":true}]}"#)
        .expect_err("not accepted");
    assert_eq!(bad.code, ErrorCode::InvalidCaseEvent);
    assert_eq!(bad.details, ["not_accepted"]);
}
