//! The dashboard as one table for Excel: a row per period and municipality
//! (and, with several municipalities, one for all of them together), a
//! column per figure; then the standing at the end of the range.

use super::{percent, Dashboard, Metric};
use crate::spreadsheet::CsvFile;

pub fn write(dashboard: &Dashboard) -> String {
    let mut file = CsvFile::default();
    let mut header = vec![
        "Zeitraum".to_string(),
        "Von".to_string(),
        "Bis".to_string(),
        "Gemeinde".to_string(),
    ];
    header.extend(Metric::ALL.iter().map(|m| m.label().to_string()));
    file.row(&header);
    let several = dashboard.municipalities.len() > 1;
    for (p, period) in dashboard.periods.iter().enumerate() {
        let lead = [
            period.long_label.clone(),
            period.start.clone(),
            period.end.clone(),
        ];
        for (m, municipality) in dashboard.municipalities.iter().enumerate() {
            let mut row = lead.to_vec();
            row.push(municipality.name.clone());
            row.extend(dashboard.series.iter().map(|s| s.values[m][p].to_string()));
            file.row(&row);
        }
        if several {
            let mut row = lead.to_vec();
            row.push("Alle Gemeinden".to_string());
            row.extend(dashboard.series.iter().map(|s| s.total[p].to_string()));
            file.row(&row);
        }
    }
    file.row([""]);
    file.row([format!("Stand am Ende des Zeitraums ({})", dashboard.to)]);
    file.row([
        "Gemeinde",
        "Konten",
        "Aktiv im Zeitraum",
        "Mit abgeschlossenem Rundgang",
        "Rundgang-Quote (%)",
        "Mit Schulungsteilnahme",
        "Schulungs-Quote (%)",
        "Kenntnisnahmen verlangt",
        "Kenntnisnahmen gegeben",
        "Kenntnisnahme-Quote (%)",
    ]);
    for s in &dashboard.standings {
        file.row([
            s.municipality.clone(),
            s.accounts.to_string(),
            s.active_in_range.to_string(),
            s.finished_a_tour.to_string(),
            percent(s.finished_a_tour, s.accounts).to_string(),
            s.attended_training.to_string(),
            percent(s.attended_training, s.accounts).to_string(),
            s.acks_due.to_string(),
            s.acks_given.to_string(),
            percent(s.acks_given, s.acks_due).to_string(),
        ]);
    }
    file.finish()
}

/// `einfuehrungsstand-2026-11-01-bis-2026-11-28.csv`
pub fn file_name(dashboard: &Dashboard) -> String {
    format!(
        "einfuehrungsstand-{}-bis-{}.csv",
        dashboard.from, dashboard.to
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::figures::{compute, Event, Facts, Range};
    use crate::rollout::{Granularity, MunicipalityName};
    use chrono::NaiveDate;

    #[test]
    fn one_row_per_period_and_municipality_then_the_standing() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let places = vec![
            MunicipalityName {
                id: 1,
                name: "Michelstadt".into(),
            },
            MunicipalityName {
                id: 2,
                name: "Erbach".into(),
            },
        ];
        let facts = Facts {
            events: vec![Event {
                metric: Metric::Uploaded,
                municipality_id: 2,
                day: day("2026-11-24"),
                amount: 3,
            }],
            ..Facts::default()
        };
        let range = Range {
            from: day("2026-11-24"),
            to: day("2026-11-25"),
            granularity: Granularity::Day,
        };
        let d = compute(&facts, range, places.clone(), places, None);
        let text = write(&d);
        let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').split("\r\n").collect();
        assert!(lines[0]
            .starts_with("Zeitraum;Von;Bis;Gemeinde;Aktive Personen;Hochgeladene Dokumente;"));
        assert!(
            lines[1].starts_with("\"Dienstag, 24.11.2026\";2026-11-24;2026-11-24;Michelstadt;0;0;")
        );
        assert!(lines[2].starts_with("\"Dienstag, 24.11.2026\";2026-11-24;2026-11-24;Erbach;0;3;"));
        assert!(lines[3]
            .starts_with("\"Dienstag, 24.11.2026\";2026-11-24;2026-11-24;Alle Gemeinden;0;3;"));
        assert!(lines[4].contains("Mittwoch, 25.11.2026"));
        assert!(text.contains("Stand am Ende des Zeitraums (2026-11-25)"));
        assert_eq!(
            file_name(&d),
            "einfuehrungsstand-2026-11-24-bis-2026-11-25.csv"
        );
    }
}
