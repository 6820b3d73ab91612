//! From dated facts to the dashboard's series. Storage turns every recorded
//! timestamp into its local day (Europe/Berlin) first, so all the arithmetic
//! here is on calendar days and can be tested without a database or clock.

use super::{
    Dashboard, DashboardRequest, Granularity, Kind, Metric, MunicipalityName, Period, Series,
    Standing, DEFAULT_DAYS, MAX_DAYS,
};
use crate::error::AppError;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{HashMap, HashSet};

/// Someone used Aktenwerk on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    pub municipality_id: i64,
    pub user_id: i64,
    pub day: NaiveDate,
}

/// Something countable happened (`amount` pages, or 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub metric: Metric,
    pub municipality_id: i64,
    pub day: NaiveDate,
    pub amount: i64,
}

/// Something that waited from one day until another: it counts at the end
/// of every day `d` with `from <= d < until`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub metric: Metric,
    pub municipality_id: i64,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// An active account and the first day of its training evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub municipality_id: i64,
    pub since: NaiveDate,
    pub first_tour: Option<NaiveDate>,
    pub first_training: Option<NaiveDate>,
}

/// One acknowledgement asked of one person: due since `due`, given on
/// `given`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckDue {
    pub municipality_id: i64,
    pub due: NaiveDate,
    pub given: Option<NaiveDate>,
}

/// Everything recorded, for all real municipalities.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub activity: Vec<Activity>,
    pub events: Vec<Event>,
    pub spans: Vec<Span>,
    pub people: Vec<Person>,
    pub acks: Vec<AckDue>,
}

/// The range a request asks for, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
}

fn parse_day(value: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid(format!(
            "„{field}“ ist kein gültiges Datum. Bitte als Datum wählen (z. B. 2026-11-02)."
        ))
    })
}

impl Range {
    /// Empty fields: the last [`DEFAULT_DAYS`] days up to today.
    pub fn from_request(request: &DashboardRequest, today: NaiveDate) -> Result<Range, AppError> {
        let granularity = Granularity::parse(request.einteilung.trim())
            .ok_or_else(|| AppError::invalid("Die Einteilung muss „tag“ oder „woche“ sein."))?;
        let to = if request.bis.trim().is_empty() {
            today
        } else {
            parse_day(&request.bis, "Bis")?
        };
        let from = if request.von.trim().is_empty() {
            to.checked_sub_days(Days::new(DEFAULT_DAYS as u64 - 1))
                .unwrap_or(to)
        } else {
            parse_day(&request.von, "Von")?
        };
        if from > to {
            return Err(AppError::invalid(
                "Der Zeitraum beginnt nach seinem Ende. Bitte „Von“ und „Bis“ prüfen.",
            ));
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(AppError::invalid(format!(
                "Der Zeitraum ist zu lang: höchstens {MAX_DAYS} Tage auf einmal."
            )));
        }
        Ok(Range {
            from,
            to,
            granularity,
        })
    }

    fn week_start(day: NaiveDate) -> NaiveDate {
        day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
    }

    /// The period a day falls in, if it is inside the range.
    pub fn period_of(&self, day: NaiveDate) -> Option<usize> {
        if day < self.from || day > self.to {
            return None;
        }
        let index = match self.granularity {
            Granularity::Day => (day - self.from).num_days(),
            Granularity::Week => {
                (Self::week_start(day) - Self::week_start(self.from)).num_days() / 7
            }
        };
        usize::try_from(index).ok()
    }

    /// The periods, each clipped to the range.
    pub fn periods(&self) -> Vec<(NaiveDate, NaiveDate)> {
        let mut periods = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let end = match self.granularity {
                Granularity::Day => start,
                Granularity::Week => Self::week_start(start) + chrono::Duration::days(6),
            }
            .min(self.to);
            periods.push((start, end));
            start = end + chrono::Duration::days(1);
        }
        periods
    }

    fn days(&self) -> usize {
        usize::try_from((self.to - self.from).num_days() + 1).unwrap_or(0)
    }
}

const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];

fn period_view(granularity: Granularity, start: NaiveDate, end: NaiveDate) -> Period {
    let (label, long_label) = match granularity {
        Granularity::Day => (
            start.format("%d.%m.").to_string(),
            format!(
                "{}, {}",
                WEEKDAYS[start.weekday().num_days_from_monday() as usize],
                start.format("%d.%m.%Y")
            ),
        ),
        Granularity::Week => {
            let week = start.iso_week();
            (
                format!("KW {}", week.week()),
                format!(
                    "KW {}/{} ({}–{})",
                    week.week(),
                    week.year(),
                    start.format("%d.%m."),
                    end.format("%d.%m.%Y")
                ),
            )
        }
    };
    Period {
        start: start.format("%Y-%m-%d").to_string(),
        end: end.format("%Y-%m-%d").to_string(),
        label,
        long_label,
    }
}

/// The dashboard for `range` over the municipalities `shown` (in order).
/// Facts of other municipalities are ignored.
pub fn compute(
    facts: &Facts,
    range: Range,
    shown: Vec<MunicipalityName>,
    choosable: Vec<MunicipalityName>,
    selected: Option<i64>,
) -> Dashboard {
    let index: HashMap<i64, usize> = shown.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let bounds = range.periods();
    let n_periods = bounds.len();
    let n_places = shown.len();
    let zero = || vec![vec![0_i64; n_periods]; n_places];

    let mut series = Vec::new();
    for metric in Metric::ALL {
        let mut values = zero();
        let mut range_values = vec![0_i64; n_places];
        let mut total = vec![0_i64; n_periods];
        let mut range_total = 0;
        match metric.kind() {
            Kind::Count => {
                let given_acks = facts
                    .acks
                    .iter()
                    .filter_map(|a| a.given.map(|day| (a.municipality_id, day, 1)));
                let events = facts
                    .events
                    .iter()
                    .filter(|e| e.metric == metric)
                    .map(|e| (e.municipality_id, e.day, e.amount));
                let all: Box<dyn Iterator<Item = (i64, NaiveDate, i64)>> =
                    if metric == Metric::Acknowledgements {
                        Box::new(given_acks.chain(events))
                    } else {
                        Box::new(events)
                    };
                for (municipality, day, amount) in all {
                    let (Some(&m), Some(p)) = (index.get(&municipality), range.period_of(day))
                    else {
                        continue;
                    };
                    values[m][p] += amount;
                    range_values[m] += amount;
                    total[p] += amount;
                    range_total += amount;
                }
            }
            Kind::People => {
                let mut per_period: HashSet<(usize, usize, i64)> = HashSet::new();
                let mut per_range: HashSet<(usize, i64)> = HashSet::new();
                for a in &facts.activity {
                    let (Some(&m), Some(p)) =
                        (index.get(&a.municipality_id), range.period_of(a.day))
                    else {
                        continue;
                    };
                    per_period.insert((m, p, a.user_id));
                    per_range.insert((m, a.user_id));
                }
                for &(m, p, _) in &per_period {
                    values[m][p] += 1;
                }
                let mut total_period: HashSet<(usize, i64)> = HashSet::new();
                for &(_, p, user) in &per_period {
                    total_period.insert((p, user));
                }
                for &(p, _) in &total_period {
                    total[p] += 1;
                }
                for &(m, _) in &per_range {
                    range_values[m] += 1;
                }
                range_total = per_range
                    .iter()
                    .map(|(_, user)| *user)
                    .collect::<HashSet<_>>()
                    .len() as i64;
            }
            Kind::Level => {
                // A difference array per municipality over the range's days:
                // O(spans + days), also for a hundred thousand documents.
                let days = range.days();
                let mut diff = vec![vec![0_i64; days + 1]; n_places];
                for span in facts.spans.iter().filter(|s| s.metric == metric) {
                    let Some(&m) = index.get(&span.municipality_id) else {
                        continue;
                    };
                    let first = span.from.max(range.from);
                    let last = match span.until {
                        Some(until) => (until - chrono::Duration::days(1)).min(range.to),
                        None => range.to,
                    };
                    if first > last {
                        continue;
                    }
                    let a = (first - range.from).num_days() as usize;
                    let b = (last - range.from).num_days() as usize;
                    diff[m][a] += 1;
                    diff[m][b + 1] -= 1;
                }
                for (m, row) in diff.iter().enumerate() {
                    let mut level = 0;
                    let mut daily = Vec::with_capacity(days);
                    for change in row.iter().take(days) {
                        level += change;
                        daily.push(level);
                    }
                    for (p, (_, end)) in bounds.iter().enumerate() {
                        let value = daily[(*end - range.from).num_days() as usize];
                        values[m][p] = value;
                        total[p] += value;
                    }
                    range_values[m] = daily.last().copied().unwrap_or(0);
                    range_total += range_values[m];
                }
            }
        }
        series.push(Series {
            metric,
            values,
            total,
            range_values,
            range_total,
        });
    }

    let standings = standings(facts, range, &shown, &index);
    Dashboard {
        from: range.from.format("%Y-%m-%d").to_string(),
        to: range.to.format("%Y-%m-%d").to_string(),
        granularity: range.granularity,
        periods: bounds
            .iter()
            .map(|(start, end)| period_view(range.granularity, *start, *end))
            .collect(),
        municipalities: shown,
        choosable,
        selected,
        series,
        standings,
    }
}

fn standings(
    facts: &Facts,
    range: Range,
    shown: &[MunicipalityName],
    index: &HashMap<i64, usize>,
) -> Vec<Standing> {
    let mut rows: Vec<Standing> = shown
        .iter()
        .map(|m| Standing {
            municipality: m.name.clone(),
            ..Standing::default()
        })
        .collect();
    let by_end = |day: Option<NaiveDate>| day.is_some_and(|d| d <= range.to);
    for person in &facts.people {
        let Some(&m) = index.get(&person.municipality_id) else {
            continue;
        };
        if person.since > range.to {
            continue;
        }
        rows[m].accounts += 1;
        rows[m].finished_a_tour += i64::from(by_end(person.first_tour));
        rows[m].attended_training += i64::from(by_end(person.first_training));
    }
    let mut active: HashSet<(usize, i64)> = HashSet::new();
    for a in &facts.activity {
        if let Some(&m) = index.get(&a.municipality_id) {
            if a.day >= range.from && a.day <= range.to {
                active.insert((m, a.user_id));
            }
        }
    }
    for (m, _) in active {
        rows[m].active_in_range += 1;
    }
    for ack in &facts.acks {
        let Some(&m) = index.get(&ack.municipality_id) else {
            continue;
        };
        if ack.due <= range.to {
            rows[m].acks_due += 1;
            rows[m].acks_given += i64::from(by_end(ack.given));
        }
    }
    if rows.len() > 1 {
        let mut all = Standing {
            municipality: "Alle Gemeinden".to_string(),
            ..Standing::default()
        };
        for row in &rows {
            all.accounts += row.accounts;
            all.active_in_range += row.active_in_range;
            all.finished_a_tour += row.finished_a_tour;
            all.attended_training += row.attended_training;
            all.acks_due += row.acks_due;
            all.acks_given += row.acks_given;
        }
        rows.push(all);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn places() -> Vec<MunicipalityName> {
        vec![
            MunicipalityName {
                id: 1,
                name: "Michelstadt".into(),
            },
            MunicipalityName {
                id: 2,
                name: "Erbach".into(),
            },
        ]
    }

    fn range(from: &str, to: &str, granularity: Granularity) -> Range {
        Range {
            from: day(from),
            to: day(to),
            granularity,
        }
    }

    fn series(d: &Dashboard, metric: Metric) -> &Series {
        d.series(metric).expect("series")
    }

    #[test]
    fn default_range_is_the_last_28_days() {
        let r = Range::from_request(&DashboardRequest::default(), day("2026-11-26")).expect("ok");
        assert_eq!(r.from, day("2026-10-30"));
        assert_eq!(r.to, day("2026-11-26"));
        assert_eq!(r.periods().len(), 28);
    }

    #[test]
    fn bad_ranges_get_german_messages() {
        let today = day("2026-11-26");
        let ask = |von: &str, bis: &str, einteilung: &str| {
            Range::from_request(
                &DashboardRequest {
                    von: von.into(),
                    bis: bis.into(),
                    einteilung: einteilung.into(),
                    gemeinde: String::new(),
                },
                today,
            )
            .map_err(|e| e.to_string())
        };
        assert!(ask("2026-11-30", "2026-11-01", "")
            .expect_err("refused")
            .contains("beginnt nach seinem Ende"));
        assert!(ask("gestern", "", "")
            .expect_err("refused")
            .contains("„Von“"));
        assert!(ask("2020-01-01", "2026-01-01", "")
            .expect_err("refused")
            .contains("zu lang"));
        assert!(ask("", "", "jahr")
            .expect_err("refused")
            .contains("Einteilung"));
        assert!(ask("2026-11-01", "2026-11-01", "woche").is_ok());
    }

    #[test]
    fn weeks_are_iso_weeks_clipped_to_the_range() {
        // Wednesday 2026-11-18 to Tuesday 2026-12-01: KW 47 (part), 48, 49 (part).
        let r = range("2026-11-18", "2026-12-01", Granularity::Week);
        let periods = r.periods();
        assert_eq!(
            periods,
            vec![
                (day("2026-11-18"), day("2026-11-22")),
                (day("2026-11-23"), day("2026-11-29")),
                (day("2026-11-30"), day("2026-12-01")),
            ]
        );
        assert_eq!(r.period_of(day("2026-11-22")), Some(0));
        assert_eq!(r.period_of(day("2026-11-23")), Some(1));
        assert_eq!(r.period_of(day("2026-12-01")), Some(2));
        assert_eq!(r.period_of(day("2026-12-02")), None);
        assert_eq!(r.period_of(day("2026-11-17")), None);
        let d = compute(&Facts::default(), r, places(), places(), None);
        assert_eq!(d.periods[0].label, "KW 47");
        assert_eq!(d.periods[1].long_label, "KW 48/2026 (23.11.–29.11.2026)");
    }

    #[test]
    fn people_count_once_per_period_and_range() {
        let act = |m, u, d: &str| Activity {
            municipality_id: m,
            user_id: u,
            day: day(d),
        };
        let facts = Facts {
            activity: vec![
                act(1, 10, "2026-11-23"),
                act(1, 10, "2026-11-24"),
                act(1, 11, "2026-11-24"),
                act(2, 20, "2026-11-24"),
                act(2, 20, "2026-11-30"),
                act(3, 30, "2026-11-24"), // not shown
                act(1, 10, "2026-11-22"), // before the range
            ],
            ..Facts::default()
        };
        let days = compute(
            &facts,
            range("2026-11-23", "2026-11-30", Granularity::Day),
            places(),
            places(),
            None,
        );
        let s = series(&days, Metric::ActiveUsers);
        assert_eq!(s.values[0], vec![1, 2, 0, 0, 0, 0, 0, 0]);
        assert_eq!(s.values[1], vec![0, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!(s.total, vec![1, 3, 0, 0, 0, 0, 0, 1]);
        assert_eq!(s.range_values, vec![2, 1]);
        assert_eq!(s.range_total, 3);
        let weeks = compute(
            &facts,
            range("2026-11-23", "2026-11-30", Granularity::Week),
            places(),
            places(),
            None,
        );
        let s = series(&weeks, Metric::ActiveUsers);
        assert_eq!(s.values[0], vec![2, 0]);
        assert_eq!(s.values[1], vec![1, 1]);
        assert_eq!(s.total, vec![3, 1]);
    }

    #[test]
    fn counts_add_amounts_and_acknowledgements_come_from_dues() {
        let facts = Facts {
            events: vec![
                Event {
                    metric: Metric::Pages,
                    municipality_id: 1,
                    day: day("2026-11-24"),
                    amount: 7,
                },
                Event {
                    metric: Metric::Pages,
                    municipality_id: 1,
                    day: day("2026-11-24"),
                    amount: 3,
                },
                Event {
                    metric: Metric::Uploaded,
                    municipality_id: 2,
                    day: day("2026-11-25"),
                    amount: 1,
                },
            ],
            acks: vec![
                AckDue {
                    municipality_id: 2,
                    due: day("2026-11-20"),
                    given: Some(day("2026-11-25")),
                },
                AckDue {
                    municipality_id: 2,
                    due: day("2026-11-20"),
                    given: None,
                },
                AckDue {
                    municipality_id: 1,
                    due: day("2026-12-24"),
                    given: None,
                },
            ],
            ..Facts::default()
        };
        let d = compute(
            &facts,
            range("2026-11-24", "2026-11-25", Granularity::Day),
            places(),
            places(),
            None,
        );
        assert_eq!(series(&d, Metric::Pages).values[0], vec![10, 0]);
        assert_eq!(series(&d, Metric::Uploaded).range_values, vec![0, 1]);
        assert_eq!(series(&d, Metric::Acknowledgements).values[1], vec![0, 1]);
        assert_eq!(d.standings[1].acks_due, 2);
        assert_eq!(d.standings[1].acks_given, 1);
        // Due after the range: not counted yet.
        assert_eq!(d.standings[0].acks_due, 0);
        assert_eq!(d.standings[2].municipality, "Alle Gemeinden");
        assert_eq!(d.standings[2].acks_due, 2);
    }

    #[test]
    fn levels_are_taken_at_the_end_of_each_period() {
        let span = |from: &str, until: Option<&str>| Span {
            metric: Metric::InboxBacklog,
            municipality_id: 1,
            from: day(from),
            until: until.map(day),
        };
        let facts = Facts {
            spans: vec![
                span("2026-11-01", None),               // waits throughout
                span("2026-11-24", Some("2026-11-24")), // filed the same day
                span("2026-11-23", Some("2026-11-25")), // waited two nights
                span("2026-11-26", None),               // after the range
                span("2026-10-01", Some("2026-11-02")), // done before
            ],
            ..Facts::default()
        };
        let d = compute(
            &facts,
            range("2026-11-23", "2026-11-25", Granularity::Day),
            places(),
            places(),
            None,
        );
        let s = series(&d, Metric::InboxBacklog);
        assert_eq!(s.values[0], vec![2, 2, 1]);
        assert_eq!(s.range_values[0], 1);
        let weeks = compute(
            &facts,
            range("2026-11-23", "2026-11-25", Granularity::Week),
            places(),
            places(),
            None,
        );
        assert_eq!(series(&weeks, Metric::InboxBacklog).values[0], vec![1]);
    }

    #[test]
    fn standings_count_accounts_existing_at_the_end() {
        let person = |m, since: &str, tour: Option<&str>, training: Option<&str>| Person {
            municipality_id: m,
            since: day(since),
            first_tour: tour.map(day),
            first_training: training.map(day),
        };
        let facts = Facts {
            people: vec![
                person(1, "2026-01-01", Some("2026-11-02"), None),
                person(1, "2026-01-01", Some("2026-12-02"), Some("2026-11-10")),
                person(1, "2026-12-01", None, None),
                person(2, "2026-01-01", None, None),
            ],
            ..Facts::default()
        };
        let d = compute(
            &facts,
            range("2026-11-01", "2026-11-30", Granularity::Week),
            places(),
            places(),
            None,
        );
        assert_eq!(d.standings[0].accounts, 2);
        assert_eq!(d.standings[0].finished_a_tour, 1);
        assert_eq!(d.standings[0].attended_training, 1);
        assert_eq!(d.standings[1].accounts, 1);
        assert_eq!(d.standings[2].accounts, 3);
    }
}
