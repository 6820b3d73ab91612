//! `aktenwerk rollout-check`: the summary the use cases keep, against the
//! raw rows. The dashboard is computed both ways for a range of days (from
//! the raw rows with [`storage::facts`], the reference, and from the summary
//! as the page does), in one read transaction, and every value that differs
//! is named. Nothing is changed, unless the administrator asks for
//! [`repair`].

use super::figures::{compute, compute_from_summary, Range};
use super::{storage, Granularity, Metric};
use chrono::NaiveDate;
use sqlx::SqlitePool;

/// One value that is not what the raw rows say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub metric: Metric,
    pub municipality: String,
    /// The day, or `None` for the whole range (different people).
    pub day: Option<NaiveDate>,
    /// From the summary.
    pub kept: i64,
    /// From the raw rows.
    pub recomputed: i64,
}

impl Difference {
    /// One line for the IT administration.
    pub fn describe(&self) -> String {
        let when = self
            .day
            .map_or_else(|| "ganzer Zeitraum".to_string(), crate::time::display_date);
        format!(
            "{} – {}, {when}: Zusammenfassung {}, aus den Ereignissen neu berechnet {}",
            self.metric.label(),
            self.municipality,
            self.kept,
            self.recomputed
        )
    }
}

/// What was compared, and what differed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub municipalities: usize,
    pub values: usize,
    pub differences: Vec<Difference>,
}

/// Compares the days `from` to `to`, all real municipalities.
pub async fn compare(
    pool: &SqlitePool,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Report, sqlx::Error> {
    let range = Range {
        from,
        to,
        granularity: Granularity::Day,
    };
    // One snapshot for both, so that work going on meanwhile cannot show
    // up as a difference.
    let mut tx = pool.begin().await?;
    let places = storage::municipalities(&mut tx).await?;
    let facts = storage::facts(&mut tx, from, to).await?;
    let summary = storage::summary(&mut tx, range, &places).await?;
    tx.rollback().await?;
    let recomputed = compute(&facts, range, places.clone(), places.clone(), None);
    let kept = compute_from_summary(&summary, range, places.clone(), places.clone(), None);

    let mut differences = Vec::new();
    let mut values = 0;
    for (ours, theirs) in kept.series.iter().zip(&recomputed.series) {
        for (m, place) in places.iter().enumerate() {
            for (p, period) in recomputed.periods.iter().enumerate() {
                values += 1;
                let (kept, recomputed) = (ours.values[m][p], theirs.values[m][p]);
                if kept != recomputed {
                    differences.push(Difference {
                        metric: ours.metric,
                        municipality: place.name.clone(),
                        day: NaiveDate::parse_from_str(&period.start, "%Y-%m-%d").ok(),
                        kept,
                        recomputed,
                    });
                }
            }
            // Different people over the range are not a sum of the days.
            if ours.metric == Metric::ActiveUsers {
                values += 1;
                let (kept, recomputed) = (ours.range_values[m], theirs.range_values[m]);
                if kept != recomputed {
                    differences.push(Difference {
                        metric: ours.metric,
                        municipality: place.name.clone(),
                        day: None,
                        kept,
                        recomputed,
                    });
                }
            }
        }
    }
    Ok(Report {
        from,
        to,
        municipalities: places.len(),
        values,
        differences,
    })
}

/// `aktenwerk rollout-check --reparieren`: the summary is emptied and
/// computed again from the raw rows (all days, as migration 0011 first
/// filled it), in one write transaction with its audit entry: the dashboard
/// shows either the old or the new figures, never a half-built mix. The raw
/// rows are the reference; nothing but the summary changes.
pub async fn repair(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    crate::rollout_days::refill(&mut tx).await?;
    crate::audit::storage::record(
        &mut tx,
        crate::audit::storage::NewEntry {
            actor_name: "System".into(),
            action: "rollout_summary_rebuilt",
            object_type: "rollout",
            details: serde_json::json!({ "command": "rollout-check --reparieren" }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await
}

/// Where a check without `--von` starts (see [`storage::first_day`]).
pub async fn first_day(pool: &SqlitePool) -> Result<Option<NaiveDate>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    storage::first_day(&mut conn).await
}
