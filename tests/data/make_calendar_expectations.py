#!/usr/bin/env python3
"""Writes calendar_expectations.json: the day-by-day expectation fixture for the calendar tests.

Independent of rules/calendar/*.toml on purpose: this script never reads them. It needs no
network; the data below was transcribed by hand from two public sources and the script refuses
to write anything unless both agree:

  A. NateScarlet/holiday-cn (MIT), as stored in the public-code index:
       2020.json (day list, commit 78b4552627bf75dcd782f64b61880db2c0ad9355) for 2020;
       2021.ics … 2025.ics (commit 0c2759c89d8477d8915b2e15a8ec68a2b28baa92) for 2021–2025
       (VEVENTs with exclusive DTEND, copied verbatim as [summary, dtstart, dtend)).
     The stored 2026.ics is empty and the 2021–2024 JSON versions are empty, so 2026 comes from
     source B alone.
  B. The State Council General Office notices themselves (国务院办公厅关于YYYY年部分节假日安排的
     通知, as reprinted from gov.cn/Xinhua), plus 国办发明电〔2020〕1号 extending the 2020 Spring
     Festival to 2020-02-02 and cancelling the 2020-02-01 make-up day.

Output, per calendar year Y (Jan 1 – Dec 31 of Y, whichever notice a date comes from):
  working_days          Mon–Fri that are not holidays, plus make-up weekend days
  rest_days_on_weekdays Mon–Fri dates that are holidays
  working_weekend_days  Sat/Sun dates that are make-up working days (调休)

Run: python3 tests/data/make_calendar_expectations.py   (writes next to this file)
"""

import datetime as dt
import json
import pathlib

D = dt.date.fromisoformat
ONE = dt.timedelta(days=1)
YEARS = range(2020, 2027)

# --- Source A: holiday-cn -------------------------------------------------------------------

# 2020.json "days": (date, isOffDay). Note 2020-02-01 is off (the extension cancelled the
# make-up day) and the 春节 range runs to 02-02.
HOLIDAY_CN_2020_JSON = [
    ("2020-01-01", True), ("2020-01-19", False),
    *[(f"2020-01-{d:02d}", True) for d in range(24, 32)],
    ("2020-02-01", True), ("2020-02-02", True),
    ("2020-04-04", True), ("2020-04-05", True), ("2020-04-06", True),
    ("2020-04-26", False),
    *[(f"2020-05-{d:02d}", True) for d in range(1, 6)],
    ("2020-05-09", False),
    ("2020-06-25", True), ("2020-06-26", True), ("2020-06-27", True), ("2020-06-28", False),
    ("2020-09-27", False),
    *[(f"2020-10-{d:02d}", True) for d in range(1, 9)],
    ("2020-10-10", False),
]

# YYYY.ics VEVENTs: (SUMMARY, DTSTART, DTEND exclusive). "上班(…)" = working, else holiday.
HOLIDAY_CN_ICS = {
    2021: [
        ("元旦假期", "20210101", "20210104"),
        ("上班(补春节假期)", "20210207", "20210208"),
        ("春节假期", "20210211", "20210218"),
        ("上班(补春节假期)", "20210220", "20210221"),
        ("清明节假期", "20210403", "20210406"),
        ("上班(补劳动节假期)", "20210425", "20210426"),
        ("劳动节假期", "20210501", "20210506"),
        ("上班(补劳动节假期)", "20210508", "20210509"),
        ("端午节假期", "20210612", "20210615"),
        ("上班(补中秋节假期)", "20210918", "20210919"),
        ("中秋节假期", "20210919", "20210922"),
        ("上班(补国庆节假期)", "20210926", "20210927"),
        ("国庆节假期", "20211001", "20211008"),
        ("上班(补国庆节假期)", "20211009", "20211010"),
    ],
    2022: [
        ("元旦假期", "20220101", "20220104"),
        ("上班(补春节假期)", "20220129", "20220131"),
        ("春节假期", "20220131", "20220207"),
        ("上班(补清明节假期)", "20220402", "20220403"),
        ("清明节假期", "20220403", "20220406"),
        ("上班(补劳动节假期)", "20220424", "20220425"),
        ("劳动节假期", "20220430", "20220505"),
        ("上班(补劳动节假期)", "20220507", "20220508"),
        ("端午节假期", "20220603", "20220606"),
        ("中秋节假期", "20220910", "20220913"),
        ("国庆节假期", "20221001", "20221008"),
        ("上班(补国庆节假期)", "20221008", "20221010"),
    ],
    2023: [
        ("元旦假期", "20221231", "20230103"),
        ("春节假期", "20230121", "20230128"),
        ("上班(补春节假期)", "20230128", "20230130"),
        ("清明节假期", "20230405", "20230406"),
        ("上班(补劳动节假期)", "20230423", "20230424"),
        ("劳动节假期", "20230429", "20230504"),
        ("上班(补劳动节假期)", "20230506", "20230507"),
        ("端午节假期", "20230622", "20230625"),
        ("上班(补端午节假期)", "20230625", "20230626"),
        ("中秋节、国庆节假期", "20230929", "20231007"),
        ("上班(补中秋节、国庆节假期)", "20231007", "20231009"),
    ],
    2024: [
        ("元旦假期", "20240101", "20240102"),
        ("上班(补春节假期)", "20240204", "20240205"),
        ("春节假期", "20240210", "20240218"),
        ("上班(补春节假期)", "20240218", "20240219"),
        ("清明节假期", "20240404", "20240407"),
        ("上班(补清明节假期)", "20240407", "20240408"),
        ("上班(补劳动节假期)", "20240428", "20240429"),
        ("劳动节假期", "20240501", "20240506"),
        ("上班(补劳动节假期)", "20240511", "20240512"),
        ("端午节假期", "20240610", "20240611"),
        ("上班(补中秋节假期)", "20240914", "20240915"),
        ("中秋节假期", "20240915", "20240918"),
        ("上班(补国庆节假期)", "20240929", "20240930"),
        ("国庆节假期", "20241001", "20241008"),
        ("上班(补国庆节假期)", "20241012", "20241013"),
    ],
    2025: [
        ("元旦假期", "20250101", "20250102"),
        ("上班(补春节假期)", "20250126", "20250127"),
        ("春节假期", "20250128", "20250205"),
        ("上班(补春节假期)", "20250208", "20250209"),
        ("清明节假期", "20250404", "20250407"),
        ("上班(补劳动节假期)", "20250427", "20250428"),
        ("劳动节假期", "20250501", "20250506"),
        ("端午节假期", "20250531", "20250603"),
        ("上班(补国庆节、中秋节假期)", "20250928", "20250929"),
        ("国庆节、中秋节假期", "20251001", "20251009"),
        ("上班(补国庆节、中秋节假期)", "20251011", "20251012"),
    ],
}


def ics_date(s):
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))


def source_a():
    """{date: True (rest) / False (work)} from holiday-cn."""
    days = {D(d): off for d, off in HOLIDAY_CN_2020_JSON}
    for events in HOLIDAY_CN_ICS.values():
        for summary, start, end in events:
            day, stop = ics_date(start), ics_date(end)
            while day < stop:
                days[day] = not summary.startswith("上班")
                day += ONE
    return days


# --- Source B: the notices (inclusive holiday ranges, make-up days) --------------------------

NOTICES = {
    # 国办发明电〔2019〕16号 + 国办发明电〔2020〕1号 (春节 to 02-02; 02-01 no longer worked)
    2020: (
        [("2020-01-01", "2020-01-01"), ("2020-01-24", "2020-02-02"), ("2020-04-04", "2020-04-06"),
         ("2020-05-01", "2020-05-05"), ("2020-06-25", "2020-06-27"), ("2020-10-01", "2020-10-08")],
        ["2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"],
    ),
    # 国办发明电〔2020〕27号
    2021: (
        [("2021-01-01", "2021-01-03"), ("2021-02-11", "2021-02-17"), ("2021-04-03", "2021-04-05"),
         ("2021-05-01", "2021-05-05"), ("2021-06-12", "2021-06-14"), ("2021-09-19", "2021-09-21"),
         ("2021-10-01", "2021-10-07")],
        ["2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26",
         "2021-10-09"],
    ),
    # 国办发明电〔2021〕11号
    2022: (
        [("2022-01-01", "2022-01-03"), ("2022-01-31", "2022-02-06"), ("2022-04-03", "2022-04-05"),
         ("2022-04-30", "2022-05-04"), ("2022-06-03", "2022-06-05"), ("2022-09-10", "2022-09-12"),
         ("2022-10-01", "2022-10-07")],
        ["2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08",
         "2022-10-09"],
    ),
    # 国办发明电〔2022〕16号 (元旦 from 2022-12-31)
    2023: (
        [("2022-12-31", "2023-01-02"), ("2023-01-21", "2023-01-27"), ("2023-04-05", "2023-04-05"),
         ("2023-04-29", "2023-05-03"), ("2023-06-22", "2023-06-24"), ("2023-09-29", "2023-10-06")],
        ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07",
         "2023-10-08"],
    ),
    # 国办发明电〔2023〕7号
    2024: (
        [("2024-01-01", "2024-01-01"), ("2024-02-10", "2024-02-17"), ("2024-04-04", "2024-04-06"),
         ("2024-05-01", "2024-05-05"), ("2024-06-10", "2024-06-10"), ("2024-09-15", "2024-09-17"),
         ("2024-10-01", "2024-10-07")],
        ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
         "2024-09-29", "2024-10-12"],
    ),
    # 国办发明电〔2024〕12号
    2025: (
        [("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
         ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08")],
        ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    ),
    # 国办发明电〔2025〕7号
    2026: (
        [("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
         ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
         ("2026-10-01", "2026-10-07")],
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    ),
}


def source_b():
    days = {}
    for ranges, work in NOTICES.values():
        for a, b in ranges:
            day = D(a)
            while day <= D(b):
                assert day not in days, day
                days[day] = True
                day += ONE
        for w in work:
            assert D(w) not in days, w
            days[D(w)] = False
    return days


def is_weekend(day):
    return day.weekday() >= 5


def expectations(days):
    out = {}
    for year in YEARS:
        rest, weekend_work, working = [], [], 0
        day = dt.date(year, 1, 1)
        while day.year == year:
            off = days.get(day)
            if is_weekend(day):
                if off is False:
                    weekend_work.append(day.isoformat())
                    working += 1
            elif off:
                rest.append(day.isoformat())
            else:
                working += 1
            day += ONE
        out[str(year)] = {
            "working_days": working,
            "rest_days_on_weekdays": rest,
            "working_weekend_days": weekend_work,
        }
    return out


def main():
    a, b = source_a(), source_b()
    # A "working" mark on a weekday changes nothing (holiday-cn's 2020.ics, not used here, has
    # such an event on Monday 2020-02-03), so it is only reported.
    for day, off in sorted(a.items()):
        if not off and not is_weekend(day):
            print(f"note: holiday-cn marks weekday {day} as working (no effect)")
    exp_a, exp_b = expectations(a), expectations(b)
    for year in YEARS:
        if year == 2026:
            continue  # holiday-cn has no stored 2026 data
        if exp_a[str(year)] != exp_b[str(year)]:
            raise SystemExit(f"sources disagree for {year}:\n{exp_a[str(year)]}\n{exp_b[str(year)]}")
    result = {str(y): (exp_a if y != 2026 else exp_b)[str(y)] for y in YEARS}
    # Fixed points from the domain brief.
    assert result["2025"]["working_days"] == 248, result["2025"]["working_days"]
    assert result["2026"]["working_days"] == 248, result["2026"]["working_days"]
    path = pathlib.Path(__file__).with_name("calendar_expectations.json")
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for y in YEARS:
        print(y, result[str(y)]["working_days"])


if __name__ == "__main__":
    main()
