//! The participant list as CSV for Excel (see [`crate::spreadsheet`]).

use super::{MyStatus, Participant};
use crate::spreadsheet::CsvFile;

pub const HEADER: [&str; 7] = [
    "Name",
    "Benutzername",
    "Gemeinde",
    "Rolle",
    "Status",
    "Angemeldet am",
    "Anwesenheit",
];

/// The file's content, header first; confirmed participants, then the
/// waiting list in its order.
pub fn write(participants: &[Participant]) -> String {
    let mut file = CsvFile::default();
    file.row(HEADER);
    for p in participants {
        file.row([
            p.name.clone(),
            p.username.clone(),
            p.municipality.clone(),
            p.role.label().to_string(),
            match p.status {
                MyStatus::Confirmed => "angemeldet".to_string(),
                MyStatus::Waiting(position) => format!("Warteliste Platz {position}"),
            },
            p.registered_at.clone(),
            p.attendance
                .map(|a| a.label().to_string())
                .unwrap_or_default(),
        ]);
    }
    file.finish()
}

/// `teilnehmende-schulungstermin-12.csv`: plain ASCII.
pub fn file_name(id: i64) -> String {
    format!("teilnehmende-schulungstermin-{id}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::training_sessions::Attendance;

    fn person(name: &str, status: MyStatus, attendance: Option<Attendance>) -> Participant {
        Participant {
            user_id: 1,
            name: name.into(),
            username: "sachbearbeitung.erb".into(),
            municipality: "Erbach".into(),
            role: Role::Sachbearbeitung,
            status,
            registered_at: "25.11.2026 10:00:00".into(),
            attendance,
        }
    }

    #[test]
    fn writes_bom_header_and_rows_with_semicolons() {
        let text = write(&[
            person(
                "Müller; Anna",
                MyStatus::Confirmed,
                Some(Attendance::Attended),
            ),
            person("=HYPERLINK(\"x\")", MyStatus::Waiting(1), None),
        ]);
        assert!(text.starts_with('\u{FEFF}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Name;Benutzername;Gemeinde;Rolle;Status;Angemeldet am;Anwesenheit"
        );
        assert_eq!(
            lines[1],
            "\"Müller; Anna\";sachbearbeitung.erb;Erbach;Sachbearbeitung;angemeldet;25.11.2026 10:00:00;anwesend"
        );
        assert_eq!(
            lines[2],
            "\"'=HYPERLINK(\"\"x\"\")\";sachbearbeitung.erb;Erbach;Sachbearbeitung;Warteliste Platz 1;25.11.2026 10:00:00;"
        );
        assert_eq!(lines[3], "", "ends with CRLF");
        assert_eq!(lines.len(), 4);
    }
}
