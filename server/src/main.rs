//! `aktenwerk`: runs the server, or a maintenance command.

use server::config::Config;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: server::allocator::Chosen = server::allocator::Chosen;

const USAGE: &str = "Aufruf: aktenwerk [BEFEHL]

Befehle:
  (keiner)       Server starten
  verify-audit   Hash-Kette und Prüfpunkte des Protokolls prüfen (Exit-Code 1 bei Verletzung)
  verify         Jede Dokumentdatei neu prüfen (Exit-Code 1 bei fehlenden/veränderten)
  reindex        Suchindex aus der Datenbank neu aufbauen (bei gestopptem Server)
  rollout-check [--von JJJJ-MM-TT] [--bis JJJJ-MM-TT] [--reparieren]
                 Zahlen des Einführungsstands gegen die Ereignisse prüfen
                 (ohne Angabe: von der Einrichtung bis heute; Exit-Code 1 bei Abweichung);
                 mit --reparieren bei Abweichung die Zusammenfassung aus den
                 Ereignissen neu berechnen und erneut prüfen
  help           Diese Hilfe

Einstellungen kommen aus Umgebungsvariablen; siehe aktenwerk.env.example.";

fn main() -> ExitCode {
    // The extraction child runs before anything else: no configuration, no
    // logging, no async runtime, just limits, one file and JSON on stdout.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("extract") {
        let code = extract::child_main(&args[2..], &extract::Limits::default());
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    // Everything Aktenwerk writes (database, documents, index, keys) is for
    // the service account only.
    #[cfg(unix)]
    server::startup::restrict_umask();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("Aktenwerk konnte nicht starten: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    server::init_tracing(&config.log_format);
    let command = std::env::args().nth(1);
    match command.as_deref() {
        None | Some("serve") => match server::serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("Aktenwerk konnte nicht starten: {error}");
                ExitCode::FAILURE
            }
        },
        Some("verify-audit") => verify_audit(&config).await,
        Some("verify") => verify_store(&config).await,
        Some("reindex") => reindex(&config).await,
        Some("rollout-check") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            rollout_check(&config, &args).await
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("Unbekannter Befehl „{other}“.\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The chain and the checkpoints outside the database; then, if all is in
/// order, a checkpoint for the present end (so running this from cron also
/// anchors a server that is down or was never started).
async fn verify_audit(config: &Config) -> ExitCode {
    let pool = match app::db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let anchor = match server::startup::audit_anchor(config) {
        Ok(anchor) => anchor,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let report = match app::audit::anchor::verify(&pool, &anchor).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("Prüfung fehlgeschlagen: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(id) = report.first_broken_id {
        println!(
            "PROTOKOLL VERLETZT ab Eintrag {id} ({} Einträge geprüft).",
            report.entries_checked
        );
    }
    for problem in &report.anchor_problems {
        println!("PROTOKOLL VERLETZT: {}", problem.describe());
    }
    if !report.is_intact() {
        tracing::error!(
            first_broken_id = ?report.first_broken_id,
            anchor_problems = report.anchor_problems.len(),
            "audit log verification failed"
        );
        return ExitCode::FAILURE;
    }
    println!(
        "Protokoll in Ordnung: {} Einträge, Kette lückenlos, {} Prüfpunkte stimmen.",
        report.entries_checked, report.checkpoints_checked
    );
    if report.checkpoints_checked == 0 && report.entries_checked > 0 {
        println!(
            "Hinweis: Noch kein Prüfpunkt vorhanden; erst ab jetzt fiele ein abgeschnittenes Ende auf."
        );
    }
    if let Err(error) = app::audit::anchor::checkpoint(&pool, &anchor).await {
        eprintln!("Prüfpunkt nicht geschrieben: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn verify_store(config: &Config) -> ExitCode {
    let pool = match app::db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let store = app::documents::blobs::BlobStore::new(&config.blob_dir);
    match store.verify_all(&pool).await {
        Ok(report) if report.problems.is_empty() => {
            println!(
                "Dokumentablage in Ordnung: {} Dateien geprüft, alle unverändert.",
                report.checked
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            println!(
                "DOKUMENTABLAGE BESCHÄDIGT: {} von {} Dateien fehlen oder wurden verändert:",
                report.problems.len(),
                report.checked
            );
            for problem in &report.problems {
                println!("  {}", problem.describe());
            }
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("Prüfung fehlgeschlagen: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn reindex(config: &Config) -> ExitCode {
    let pool = match app::db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::create_dir_all(&config.index_dir) {
        eprintln!("Verzeichnis {} fehlt: {error}", config.index_dir.display());
        return ExitCode::FAILURE;
    }
    let index = match app::search::index::SearchIndex::open(&config.index_dir) {
        Ok((index, _)) => index,
        Err(error) => {
            eprintln!(
                "Suchindex {} kann nicht geöffnet werden (läuft der Server noch?): {error}",
                config.index_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    match app::search::sync::rebuild(&pool, &index).await {
        Ok(documents) => {
            println!(
                "Suchindex neu aufgebaut: {documents} Dokumente in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("Neuaufbau fehlgeschlagen: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The summary behind the rollout dashboard against the raw rows it sums
/// up, day by day and municipality by municipality. Only reads, unless
/// `--reparieren` is given and a value differs.
async fn rollout_check(config: &Config, args: &[String]) -> ExitCode {
    let RolloutArgs { von, bis, repair } = match rollout_args(args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let pool = match app::db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let today = app::time::today();
    let from = match von {
        Some(day) => day,
        None => match app::rollout::check::first_day(&pool).await {
            Ok(first) => first.unwrap_or(today),
            Err(error) => {
                eprintln!("Prüfung fehlgeschlagen: {error}");
                return ExitCode::FAILURE;
            }
        },
    };
    let to = bis.unwrap_or(today);
    if from > to {
        eprintln!("Der Zeitraum beginnt nach seinem Ende. Bitte „--von“ und „--bis“ prüfen.");
        return ExitCode::from(2);
    }
    let report = match app::rollout::check::compare(&pool, from, to).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("Prüfung fehlgeschlagen: {error}");
            return ExitCode::FAILURE;
        }
    };
    if !repair || report.differences.is_empty() {
        return print_rollout_report(&report);
    }
    print_rollout_report(&report);
    if let Err(error) = app::rollout::check::repair(&pool).await {
        eprintln!("Neuberechnung fehlgeschlagen, nichts geändert: {error}");
        return ExitCode::FAILURE;
    }
    println!("Zusammenfassung aus den Ereignissen neu berechnet (im Protokoll vermerkt). Erneute Prüfung:");
    match app::rollout::check::compare(&pool, from, to).await {
        Ok(report) => print_rollout_report(&report),
        Err(error) => {
            eprintln!("Prüfung fehlgeschlagen: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What `rollout-check` prints for one comparison, and its exit code.
fn print_rollout_report(report: &app::rollout::check::Report) -> ExitCode {
    let range = format!(
        "{} bis {}, {} Gemeinden",
        app::time::display_date(report.from),
        app::time::display_date(report.to),
        report.municipalities
    );
    for difference in &report.differences {
        println!("ABWEICHUNG {}", difference.describe());
    }
    if report.differences.is_empty() {
        println!(
            "Einführungsstand in Ordnung: Zusammenfassung und Ereignisse stimmen überein ({} Werte, {range}).",
            report.values
        );
        ExitCode::SUCCESS
    } else {
        println!(
            "EINFÜHRUNGSSTAND WEICHT AB: {} von {} Werten ({range}). Richtig sind die Werte aus den Ereignissen; „aktenwerk rollout-check --reparieren“ berechnet die Zusammenfassung aus ihnen neu.",
            report.differences.len(),
            report.values
        );
        tracing::error!(
            differences = report.differences.len(),
            "rollout summary differs from the raw rows"
        );
        ExitCode::FAILURE
    }
}

/// What `rollout-check` was asked to do.
struct RolloutArgs {
    von: Option<chrono::NaiveDate>,
    bis: Option<chrono::NaiveDate>,
    repair: bool,
}

/// `--von` and `--bis` (both optional, `JJJJ-MM-TT`) and `--reparieren`,
/// or the German reason.
fn rollout_args(args: &[String]) -> Result<RolloutArgs, String> {
    let (mut von, mut bis, mut repair) = (None, None, false);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let slot = match flag.as_str() {
            "--von" => &mut von,
            "--bis" => &mut bis,
            "--reparieren" => {
                repair = true;
                continue;
            }
            other => return Err(format!("Unbekannte Angabe „{other}“.")),
        };
        let value = rest
            .next()
            .ok_or_else(|| format!("Nach „{flag}“ fehlt das Datum (JJJJ-MM-TT)."))?;
        let day = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
            format!("„{value}“ (bei „{flag}“) ist kein gültiges Datum; bitte JJJJ-MM-TT, z. B. 2026-11-02.")
        })?;
        *slot = Some(day);
    }
    Ok(RolloutArgs { von, bis, repair })
}
