//! The Aktenplan as CSV: the seed file `app/data/aktenplan.csv` and the
//! import/export format. Semicolon-separated UTF-8 (what German Excel
//! writes), one position per line, parents before children. Cells that a
//! spreadsheet would run as a formula are written with a leading
//! apostrophe ([`crate::spreadsheet::defuse`]) and read back without it.
//!
//! Import is all or nothing: every problem is reported with its line, and a
//! file with any problem imports nothing.

use super::code::Kennzeichen;
use super::retention::{Archivwert, Retention, RetentionTrigger};
use super::PositionRecord;
use std::collections::HashSet;

pub const HEADER: [&str; 8] = [
    "Kennzeichen",
    "Titel",
    "Beschreibung",
    "Stichwörter",
    "Aufbewahrung",
    "Fristbeginn",
    "Archivwert",
    "Aktiv",
];

/// One problem in an import file, for the German error report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CsvProblem {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Zeile {}: {}", self.line, self.message)
    }
}

/// Reads and validates a whole file.
pub fn parse(text: &str) -> Result<Vec<PositionRecord>, Vec<CsvProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let problem = |line: u64, message: String| CsvProblem { line, message };

    match reader.headers() {
        Ok(header) => {
            let found: Vec<&str> = header.iter().map(str::trim).collect();
            if found != HEADER {
                return Err(vec![problem(
                    1,
                    format!(
                        "Die Kopfzeile muss lauten: {} (gefunden: {}).",
                        HEADER.join(";"),
                        found.join(";")
                    ),
                )]);
            }
        }
        Err(error) => {
            return Err(vec![problem(
                1,
                format!("Die Datei ist kein lesbares CSV: {error}"),
            )])
        }
    }

    let mut records = Vec::new();
    // Parents may be inactive; codes must be unique among active positions.
    let mut seen: HashSet<Kennzeichen> = HashSet::new();
    let mut active_codes: HashSet<Kennzeichen> = HashSet::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                problems.push(problem(
                    line,
                    "Die Zeile ist kein gültiges CSV (Anführungszeichen prüfen).".into(),
                ));
                continue;
            }
        };
        let line = row.position().map_or(0, csv::Position::line);
        if row.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if row.len() != HEADER.len() {
            problems.push(problem(
                line,
                format!(
                    "Es werden {} Spalten erwartet, gefunden: {}.",
                    HEADER.len(),
                    row.len()
                ),
            ));
            continue;
        }
        // The export defuses formulas (see `write`); the apostrophe it
        // added, or one a spreadsheet user typed to keep a formula as text,
        // is not part of the value.
        let field = |i: usize| crate::spreadsheet::undefuse(row.get(i).unwrap_or_default().trim());
        let mut row_problems = Vec::new();
        let code = Kennzeichen::parse(field(0))
            .map_err(|e| row_problems.push(e.to_string()))
            .ok();
        let title = field(1);
        if title.is_empty() {
            row_problems.push("Der Titel fehlt.".into());
        } else if title.chars().count() > 200 {
            row_problems.push("Der Titel ist länger als 200 Zeichen.".into());
        }
        let retention = Retention::parse(field(4))
            .map_err(|e| row_problems.push(e))
            .ok();
        let trigger = RetentionTrigger::parse(field(5))
            .map_err(|e| row_problems.push(e))
            .ok();
        let appraisal = Archivwert::parse(field(6))
            .map_err(|e| row_problems.push(e))
            .ok();
        let active = match field(7).to_lowercase().as_str() {
            "ja" | "" => Some(true),
            "nein" => Some(false),
            other => {
                row_problems.push(format!("Aktiv „{other}“ ist ungültig: „ja“ oder „nein“."));
                None
            }
        };
        if let Some(code) = &code {
            if active == Some(true) && active_codes.contains(code) {
                row_problems.push(format!("Das Kennzeichen {code} kommt mehrfach vor."));
            }
            if let Some(parent) = code.parent() {
                if !seen.contains(&parent) {
                    row_problems.push(format!(
                        "Die übergeordnete Position {parent} fehlt oder steht erst weiter unten."
                    ));
                }
            }
        }
        if !row_problems.is_empty() {
            problems.extend(
                row_problems
                    .into_iter()
                    .map(|message| problem(line, message)),
            );
            continue;
        }
        let (Some(code), Some(retention), Some(trigger), Some(appraisal), Some(active)) =
            (code, retention, trigger, appraisal, active)
        else {
            continue;
        };
        seen.insert(code.clone());
        if active {
            active_codes.insert(code.clone());
        }
        records.push(PositionRecord {
            code,
            title: title.to_string(),
            description: field(2).to_string(),
            keywords: super::split_keywords(field(3)),
            retention,
            trigger,
            appraisal,
            active,
        });
    }
    if records.is_empty() && problems.is_empty() {
        problems.push(problem(2, "Die Datei enthält keine Positionen.".into()));
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

/// Writes positions in the import format.
pub fn write(records: &[PositionRecord]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut write_row = |fields: &[&str]| {
        // The same rule as every other CSV export (spreadsheet formulas
        // become text); `parse` takes the apostrophe off again.
        let fields = fields
            .iter()
            .map(|f| crate::spreadsheet::defuse(f).into_owned());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(fields);
    };
    write_row(&HEADER);
    for record in records {
        let keywords = record.keywords.join(", ");
        let retention = record.retention.to_field();
        write_row(&[
            record.code.as_str(),
            &record.title,
            &record.description,
            &keywords,
            &retention,
            record.trigger.to_field(),
            record.appraisal.letter(),
            if record.active { "ja" } else { "nein" },
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "Kennzeichen;Titel;Beschreibung;Stichwörter;Aufbewahrung;Fristbeginn;Archivwert;Aktiv\n\
0;Allgemeine Verwaltung;;;10;Aktenschluss;B;ja\n\
02;Organisation;Aufbau der Verwaltung;Organisation;10;Aktenschluss;B;ja\n\
022;Geschäftsverteilung;\"Verteilungsplan; Zuständigkeiten\";Geschäftsverteilung, Zuständigkeit;dauernd;Aktenschluss;A;ja\n";

    #[test]
    fn reads_a_valid_file_with_quotes_and_umlauts() {
        let records = parse(SMALL).expect("valid");
        assert_eq!(records.len(), 3);
        assert_eq!(records[2].description, "Verteilungsplan; Zuständigkeiten");
        assert_eq!(
            records[2].keywords,
            ["Geschäftsverteilung", "Zuständigkeit"]
        );
        assert_eq!(records[2].retention, Retention::Permanent);
    }

    #[test]
    fn writes_what_it_reads() {
        let records = parse(SMALL).expect("valid");
        let written = write(&records);
        assert_eq!(parse(&written).expect("round trip"), records);
        assert_eq!(written, SMALL);
    }

    #[test]
    fn formulas_are_defused_on_export_and_restored_on_import() {
        let mut records = parse(SMALL).expect("valid");
        records[1].title = "=HYPERLINK(\"http://böse.example\";\"Klick\")".into();
        records[1].description = "+49 6061 74-0".into();
        records[2].description = "'=schon mit Apostroph".into();
        records[2].keywords = vec!["@Postfach".into(), "-Minus".into()];
        let written = write(&records);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(written.as_bytes());
        for row in reader.records() {
            for field in row.expect("csv").iter() {
                assert!(
                    !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "not defused: {field:?}"
                );
            }
        }
        assert_eq!(parse(&written).expect("round trip"), records);
        // A hand-made file whose author kept a formula as text in Excel.
        let typed = format!(
            "{}\n0;'=Allgemeines;;;10;Aktenschluss;B;ja\n",
            HEADER.join(";")
        );
        assert_eq!(parse(&typed).expect("valid")[0].title, "=Allgemeines");
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = "Kennzeichen;Titel;Beschreibung;Stichwörter;Aufbewahrung;Fristbeginn;Archivwert;Aktiv\n\
0;Allgemeine Verwaltung;;;10;Aktenschluss;B;ja\n\
0x;Kaputt;;;10;Aktenschluss;B;ja\n\
03;;;;zehn;Aktenschluss;Q;ja\n\
045;Ohne Eltern;;;5;Aktenschluss;V;ja\n\
0;Doppelt;;;5;Aktenschluss;V;ja\n\
04;Zu wenige Spalten\n";
        let problems = parse(text).expect_err("invalid");
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert!(lines.contains(&3), "{problems:?}");
        assert_eq!(
            problems.iter().filter(|p| p.line == 4).count(),
            3,
            "{problems:?}"
        );
        assert!(problems
            .iter()
            .any(|p| p.line == 5 && p.message.contains("übergeordnete")));
        assert!(problems
            .iter()
            .any(|p| p.line == 6 && p.message.contains("mehrfach")));
        assert!(problems
            .iter()
            .any(|p| p.line == 7 && p.message.contains("Spalten")));
        assert!(problems[0].to_string().starts_with("Zeile 3: "));
    }

    #[test]
    fn wrong_header_and_empty_files_are_refused() {
        assert!(parse("Code;Title\n0;x\n").expect_err("header")[0]
            .message
            .contains("Kopfzeile"));
        assert!(parse(&HEADER.join(";")).is_err());
    }

    #[test]
    fn the_shipped_seed_plan_is_valid_and_round_trips() {
        let text = include_str!("../../data/aktenplan.csv");
        let records = parse(text).unwrap_or_else(|problems| {
            panic!(
                "{}",
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(records.len() >= 300, "{} positions", records.len());
        assert_eq!(records.iter().filter(|r| r.code.level() == 1).count(), 10);
        assert!(records.iter().any(|r| r.code.level() >= 4));
        assert!(records.iter().any(|r| r.title.starts_with("Bauanträge")));
        assert_eq!(parse(&write(&records)).expect("round trip"), records);
    }
}
