//! Importing a whole Aktenplan from CSV (the format the export writes):
//! the project team checks a file, sees every difference to the current
//! plan, and publishes them as the next version. A file with any problem
//! changes nothing and gets a line-numbered German report.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an import found: the changes it would make (or made) and the
/// version it published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub changelog: Vec<String>,
    /// `None` for a check without publishing, or when nothing differed.
    pub version: Option<i64>,
}

/// How many problems the report lists before summarising the rest; a
/// wrong file (say, a different export) would otherwise yield thousands.
#[cfg(feature = "ssr")]
const LISTED_PROBLEMS: usize = 30;

/// The German error report for an unusable file.
#[cfg(feature = "ssr")]
pub fn problem_report(problems: &[super::csv_format::CsvProblem]) -> AppError {
    let mut text = format!(
        "Die Datei wurde nicht übernommen, der Aktenplan ist unverändert. {} Bitte korrigieren Sie:",
        if problems.len() == 1 {
            "Es gibt ein Problem.".to_string()
        } else {
            format!("Es gibt {} Probleme.", problems.len())
        }
    );
    for problem in problems.iter().take(LISTED_PROBLEMS) {
        text.push('\n');
        text.push_str(&problem.to_string());
    }
    if problems.len() > LISTED_PROBLEMS {
        text.push_str(&format!(
            "\n… und {} weitere.",
            problems.len() - LISTED_PROBLEMS
        ));
    }
    AppError::Invalid(text)
}

/// Checks a CSV plan against the current one; with `publish`, publishes
/// the differences as the next version. Project team only.
#[server(prefix = "/api", endpoint = "import_plan_csv", output = crate::server_json::Json)]
pub async fn import_plan_csv(
    csv: String,
    title: String,
    publish: bool,
) -> Result<ImportReport, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::abstimmung::service::import_csv(&state, &user, &csv, &title, publish).await
        }
        .await,
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::aktenplan::csv_format::CsvProblem;

    #[test]
    fn report_names_lines_and_summarises_the_rest() {
        let problems: Vec<CsvProblem> = (2..=40)
            .map(|line| CsvProblem {
                line,
                message: "Der Titel fehlt.".into(),
            })
            .collect();
        let AppError::Invalid(text) = problem_report(&problems) else {
            panic!("not a validation error");
        };
        assert!(text.contains("Es gibt 39 Probleme."));
        assert!(text.contains("\nZeile 2: Der Titel fehlt."));
        assert!(text.contains("\nZeile 31: "));
        assert!(!text.contains("Zeile 32:"));
        assert!(text.ends_with("… und 9 weitere."));
    }
}
