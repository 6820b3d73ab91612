//! `aktenwerk`: runs the server, or a maintenance command.

use server::config::Config;
use std::process::ExitCode;

const USAGE: &str = "Aufruf: aktenwerk [BEFEHL]

Befehle:
  (keiner)       Server starten
  verify-audit   Hash-Kette des Protokolls prüfen (Exit-Code 1 bei Verletzung)
  verify         Jede Dokumentdatei neu prüfen (Exit-Code 1 bei fehlenden/veränderten)
  reindex        Suchindex aus der Datenbank neu aufbauen (bei gestopptem Server)
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

async fn verify_audit(config: &Config) -> ExitCode {
    let pool = match app::db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match app::audit::storage::verify_chain(&pool).await {
        Ok(report) => match report.first_broken_id {
            None => {
                println!(
                    "Protokoll in Ordnung: {} Einträge, Kette lückenlos.",
                    report.entries_checked
                );
                ExitCode::SUCCESS
            }
            Some(id) => {
                println!(
                    "PROTOKOLL VERLETZT ab Eintrag {id} ({} Einträge geprüft).",
                    report.entries_checked
                );
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            eprintln!("Prüfung fehlgeschlagen: {error}");
            ExitCode::FAILURE
        }
    }
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
