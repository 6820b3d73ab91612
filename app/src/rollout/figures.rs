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

    pub fn days(&self) -> usize {
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

/// Different people per period and over the whole range, for the
/// municipalities shown (in their order): a person active on three days of
/// a week counts once for the week, and once for all of them together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivePeople {
    /// `values[m][p]`, as in [`Series::values`].
    pub values: Vec<Vec<i64>>,
    pub total: Vec<i64>,
    pub range_values: Vec<i64>,
    pub range_total: i64,
}

impl ActivePeople {
    /// Counted from the days of use themselves (the reference; the
    /// dashboard lets SQL count them, see `storage::active_people`).
    pub fn count(activity: &[Activity], range: Range, shown: &[MunicipalityName]) -> ActivePeople {
        let index = places(shown);
        let n_periods = range.periods().len();
        let mut counted = ActivePeople {
            values: vec![vec![0; n_periods]; shown.len()],
            total: vec![0; n_periods],
            range_values: vec![0; shown.len()],
            range_total: 0,
        };
        let mut per_period: HashSet<(usize, usize, i64)> = HashSet::new();
        let mut per_range: HashSet<(usize, i64)> = HashSet::new();
        for a in activity {
            let (Some(&m), Some(p)) = (index.get(&a.municipality_id), range.period_of(a.day))
            else {
                continue;
            };
            per_period.insert((m, p, a.user_id));
            per_range.insert((m, a.user_id));
        }
        for &(m, p, _) in &per_period {
            counted.values[m][p] += 1;
        }
        let total_period: HashSet<(usize, i64)> =
            per_period.iter().map(|&(_, p, user)| (p, user)).collect();
        for &(p, _) in &total_period {
            counted.total[p] += 1;
        }
        for &(m, _) in &per_range {
            counted.range_values[m] += 1;
        }
        counted.range_total = per_range
            .iter()
            .map(|(_, user)| *user)
            .collect::<HashSet<_>>()
            .len() as i64;
        counted
    }
}

/// One person's days of use in one municipality and year, as the summary
/// keeps them: bit `b` of word `w` is day `64 * w + b + 1` of the year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveYear {
    pub user_id: i64,
    pub municipality_id: i64,
    pub year: i32,
    pub days: [u64; 6],
}

impl ActivePeople {
    /// Counted from the yearly bitmaps: the same as [`ActivePeople::count`]
    /// on the days they hold, with a few hundred rows a year instead of a
    /// row per person and day.
    pub fn from_years(
        years: &[ActiveYear],
        range: Range,
        shown: &[MunicipalityName],
    ) -> ActivePeople {
        let index = places(shown);
        let n_periods = range.periods().len();
        let period_of_day: Vec<usize> = (0..range.days())
            .map(|d| {
                range
                    .period_of(range.from + chrono::Duration::days(d as i64))
                    .unwrap_or(0)
            })
            .collect();
        let start = i64::from(range.from.num_days_from_ce());
        // The periods each person was active in, per municipality and at all.
        let mut per_place: HashMap<(i64, usize), Vec<bool>> = HashMap::new();
        let mut per_person: HashMap<i64, Vec<bool>> = HashMap::new();
        for year in years {
            let (Some(&m), Some(first)) = (
                index.get(&year.municipality_id),
                NaiveDate::from_yo_opt(year.year, 1),
            ) else {
                continue;
            };
            let length = if first.leap_year() { 366 } else { 365 };
            let offset = i64::from(first.num_days_from_ce()) - start;
            for (w, word) in year.days.iter().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let day_of_year = 64 * w as i64 + i64::from(bits.trailing_zeros());
                    bits &= bits - 1;
                    if day_of_year >= length {
                        continue;
                    }
                    let Some(&p) = usize::try_from(offset + day_of_year)
                        .ok()
                        .and_then(|day| period_of_day.get(day))
                    else {
                        continue;
                    };
                    per_place
                        .entry((year.user_id, m))
                        .or_insert_with(|| vec![false; n_periods])[p] = true;
                    per_person
                        .entry(year.user_id)
                        .or_insert_with(|| vec![false; n_periods])[p] = true;
                }
            }
        }
        let mut counted = ActivePeople {
            values: vec![vec![0; n_periods]; shown.len()],
            total: vec![0; n_periods],
            range_values: vec![0; shown.len()],
            range_total: per_person.len() as i64,
        };
        for ((_, m), active) in &per_place {
            counted.range_values[*m] += 1;
            for (p, _) in active.iter().enumerate().filter(|(_, on)| **on) {
                counted.values[*m][p] += 1;
            }
        }
        for active in per_person.values() {
            for (p, _) in active.iter().enumerate().filter(|(_, on)| **on) {
                counted.total[p] += 1;
            }
        }
        counted
    }
}

/// What the dashboard reads instead of the raw rows: the summary
/// (`crate::rollout_days`) for the counted figures and the levels, days of
/// use counted in SQL, and the few raw rows whose meaning changes later
/// (people, acknowledgements).
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Counted figures, and the changes of the levels, per municipality and
    /// day. A level's changes before the range come as one change dated
    /// before it.
    pub events: Vec<Event>,
    pub active: ActivePeople,
    pub people: Vec<Person>,
    pub acks: Vec<AckDue>,
}

fn places(shown: &[MunicipalityName]) -> HashMap<i64, usize> {
    shown.iter().enumerate().map(|(i, m)| (m.id, i)).collect()
}

/// The dashboard for `range` over the municipalities `shown` (in order),
/// from the raw facts: the reference the summary is checked against.
/// Facts of other municipalities are ignored.
pub fn compute(
    facts: &Facts,
    range: Range,
    shown: Vec<MunicipalityName>,
    choosable: Vec<MunicipalityName>,
    selected: Option<i64>,
) -> Dashboard {
    let active = ActivePeople::count(&facts.activity, range, &shown);
    let events = facts.events.iter().cloned();
    // A span counts from its first day until the day before it ends: +1
    // then, -1 on its end (never before its start).
    let changes = facts.spans.iter().flat_map(|span| {
        let end = span.until.map(|until| Event {
            metric: span.metric,
            municipality_id: span.municipality_id,
            day: until.max(span.from),
            amount: -1,
        });
        std::iter::once(Event {
            metric: span.metric,
            municipality_id: span.municipality_id,
            day: span.from,
            amount: 1,
        })
        .chain(end)
    });
    assemble(
        events.chain(changes),
        Shared {
            active,
            people: &facts.people,
            acks: &facts.acks,
        },
        range,
        shown,
        choosable,
        selected,
    )
}

/// The same dashboard from the summary.
pub fn compute_from_summary(
    summary: &Summary,
    range: Range,
    shown: Vec<MunicipalityName>,
    choosable: Vec<MunicipalityName>,
    selected: Option<i64>,
) -> Dashboard {
    assemble(
        summary.events.iter().cloned(),
        Shared {
            active: summary.active.clone(),
            people: &summary.people,
            acks: &summary.acks,
        },
        range,
        shown,
        choosable,
        selected,
    )
}

fn metric_index(metric: Metric) -> usize {
    Metric::ALL
        .iter()
        .position(|m| *m == metric)
        .unwrap_or_default()
}

/// What both ways of computing take as it is: the days of use counted,
/// people and acknowledgements.
struct Shared<'a> {
    active: ActivePeople,
    people: &'a [Person],
    acks: &'a [AckDue],
}

/// Counted events (and a level's changes) into periods. Acknowledgements
/// are counted from the dues given.
fn assemble(
    events: impl Iterator<Item = Event>,
    shared: Shared<'_>,
    range: Range,
    shown: Vec<MunicipalityName>,
    choosable: Vec<MunicipalityName>,
    selected: Option<i64>,
) -> Dashboard {
    let index = places(&shown);
    let bounds = range.periods();
    let n_periods = bounds.len();
    let n_places = shown.len();
    let days = range.days();
    // Counts go straight into their period. Levels go into a difference
    // array per municipality over the range's days (a change before the
    // range into its first day): O(events + days), also for a hundred
    // thousand documents.
    let mut counted = vec![vec![vec![0_i64; n_periods]; n_places]; Metric::ALL.len()];
    let mut changes = vec![vec![vec![0_i64; days + 1]; n_places]; Metric::ALL.len()];
    let Shared {
        active,
        people,
        acks,
    } = shared;
    let given = acks.iter().filter_map(|a| {
        a.given.map(|day| Event {
            metric: Metric::Acknowledgements,
            municipality_id: a.municipality_id,
            day,
            amount: 1,
        })
    });
    for event in events.chain(given) {
        let Some(&m) = index.get(&event.municipality_id) else {
            continue;
        };
        let k = metric_index(event.metric);
        match event.metric.kind() {
            Kind::Count => {
                if let Some(p) = range.period_of(event.day) {
                    counted[k][m][p] += event.amount;
                }
            }
            Kind::Level => {
                if event.day > range.to {
                    continue;
                }
                let at = usize::try_from((event.day - range.from).num_days()).unwrap_or(0);
                changes[k][m][at] += event.amount;
            }
            Kind::People => {}
        }
    }

    let mut active = Some(active);
    let mut series = Vec::new();
    for metric in Metric::ALL {
        let k = metric_index(metric);
        let (values, total, range_values, range_total) = match metric.kind() {
            Kind::Count => {
                let values = std::mem::take(&mut counted[k]);
                let mut total = vec![0_i64; n_periods];
                let mut range_values = vec![0_i64; n_places];
                for (m, row) in values.iter().enumerate() {
                    for (p, value) in row.iter().enumerate() {
                        total[p] += value;
                        range_values[m] += value;
                    }
                }
                let range_total = range_values.iter().sum();
                (values, total, range_values, range_total)
            }
            Kind::People => {
                let people = active.take().unwrap_or_default();
                (
                    people.values,
                    people.total,
                    people.range_values,
                    people.range_total,
                )
            }
            Kind::Level => {
                let mut values = vec![vec![0_i64; n_periods]; n_places];
                let mut total = vec![0_i64; n_periods];
                let mut range_values = vec![0_i64; n_places];
                for (m, row) in changes[k].iter().enumerate() {
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
                }
                let range_total = range_values.iter().sum();
                (values, total, range_values, range_total)
            }
        };
        series.push(Series {
            metric,
            values,
            total,
            range_values,
            range_total,
        });
    }

    let active_in_range = series
        .iter()
        .find(|s| s.metric == Metric::ActiveUsers)
        .map(|s| s.range_values.clone())
        .unwrap_or_default();
    let standings = standings(people, acks, &active_in_range, range, &shown, &index);
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
    people: &[Person],
    acks: &[AckDue],
    active_in_range: &[i64],
    range: Range,
    shown: &[MunicipalityName],
    index: &HashMap<i64, usize>,
) -> Vec<Standing> {
    let mut rows: Vec<Standing> = shown
        .iter()
        .enumerate()
        .map(|(m, place)| Standing {
            municipality: place.name.clone(),
            active_in_range: active_in_range.get(m).copied().unwrap_or(0),
            ..Standing::default()
        })
        .collect();
    let by_end = |day: Option<NaiveDate>| day.is_some_and(|d| d <= range.to);
    for person in people {
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
    for ack in acks {
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

    #[test]
    fn yearly_bitmaps_count_people_like_the_days_themselves() {
        // Days of use scattered over two calendar years; person 11 moves
        // between the two municipalities back and forth.
        let mut seed = 7_u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let start = day("2025-11-01");
        // One municipality per person and day, as the table's key has it.
        let mut days: HashMap<(i64, NaiveDate), i64> = HashMap::new();
        for i in 0..600 {
            let user = next(12) as i64;
            let m = if user == 11 { 1 + i % 2 } else { 1 + user % 3 };
            let on = start + chrono::Duration::days(next(500) as i64);
            days.entry((user, on)).or_insert(m);
        }
        let activity: Vec<Activity> = days
            .iter()
            .map(|(&(user_id, day), &municipality_id)| Activity {
                municipality_id,
                user_id,
                day,
            })
            .collect();
        let mut years: HashMap<(i64, i64, i32), [u64; 6]> = HashMap::new();
        for a in &activity {
            let bits = years
                .entry((a.user_id, a.municipality_id, a.day.year()))
                .or_default();
            let d = a.day.ordinal0() as usize;
            bits[d / 64] |= 1 << (d % 64);
        }
        let years: Vec<ActiveYear> = years
            .into_iter()
            .map(|((user_id, municipality_id, year), days)| ActiveYear {
                user_id,
                municipality_id,
                year,
                days,
            })
            .collect();
        let one = vec![places()[1].clone()];
        for (from, to) in [
            ("2025-11-01", "2027-03-15"),
            ("2025-12-24", "2026-01-07"),
            ("2026-02-25", "2026-03-03"),
            ("2026-12-30", "2026-12-30"),
            ("2024-01-01", "2025-10-31"),
        ] {
            for granularity in [Granularity::Day, Granularity::Week] {
                let r = range(from, to, granularity);
                for shown in [places(), one.clone()] {
                    assert_eq!(
                        ActivePeople::from_years(&years, r, &shown),
                        ActivePeople::count(&activity, r, &shown),
                        "{from} to {to} by {granularity:?}, {} shown",
                        shown.len()
                    );
                }
            }
        }
    }

    #[test]
    fn levels_from_changes_equal_levels_from_spans() {
        let span = |from: &str, until: Option<&str>| Span {
            metric: Metric::InboxBacklog,
            municipality_id: 1,
            from: day(from),
            until: until.map(day),
        };
        let facts = Facts {
            spans: vec![
                span("2026-11-01", None),
                span("2026-10-01", Some("2026-11-24")),
                span("2026-11-24", Some("2026-11-24")),
                span("2026-11-26", None),
                // Ends before it begins (a column older than the audit log):
                // it never counts.
                span("2026-11-24", Some("2026-11-20")),
            ],
            ..Facts::default()
        };
        let change = |on: &str, amount| Event {
            metric: Metric::InboxBacklog,
            municipality_id: 1,
            day: day(on),
            amount,
        };
        // What the summary holds: the changes inside the range, and those
        // before it added up on the day before.
        let summary = Summary {
            events: vec![
                change("2026-11-22", 2),
                change("2026-11-24", -1),
                change("2026-11-24", 1),
                change("2026-11-24", -1),
                change("2026-11-24", 1),
                change("2026-11-24", -1),
                change("2026-11-26", 1),
            ],
            ..Summary::default()
        };
        for granularity in [Granularity::Day, Granularity::Week] {
            let r = range("2026-11-23", "2026-11-25", granularity);
            let summary = Summary {
                active: ActivePeople::from_years(&[], r, &places()),
                ..summary.clone()
            };
            assert_eq!(
                compute_from_summary(&summary, r, places(), places(), None),
                compute(&facts, r, places(), places(), None)
            );
        }
        let d = compute(
            &facts,
            range("2026-11-23", "2026-11-25", Granularity::Day),
            places(),
            places(),
            None,
        );
        assert_eq!(series(&d, Metric::InboxBacklog).values[0], vec![2, 1, 1]);
    }
}
