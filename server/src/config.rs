//! Configuration, read once at start from environment variables
//! (see `aktenwerk.env.example`). Every setting has an embedded default so
//! that a fresh checkout runs with SQLite and local blob storage.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub blob_dir: PathBuf,
    pub max_upload_bytes: u64,
    /// Keys the session-token hashes; generated into the data directory if unset.
    pub session_secret: Option<String>,
    /// The address people use, e.g. `https://aktenwerk.michelstadt.de`.
    /// Decides `Secure` cookies and the origin that forms must come from.
    pub public_url: Option<String>,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    /// Password of the first administrator; generated and printed once if unset.
    pub admin_password: Option<String>,
    /// Seed one demo account per role and municipality (documented passwords).
    pub demo: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    /// Where the built JS, WASM and CSS are served from.
    pub site_root: PathBuf,
    pub log_format: LogFormat,
    /// Where the full-text index lives (rebuilt from the database if lost).
    pub index_dir: PathBuf,
    /// Text extraction and OCR jobs run at once (default: one per core).
    pub workers: usize,
    /// Longest time one file may take to extract or OCR.
    pub extract_timeout_secs: u64,
    /// Signs the audit checkpoints; generated into `<data>/audit-key` if unset.
    /// For real protection it is kept away from the data directory.
    pub audit_key: Option<String>,
    /// The append-only file of audit checkpoints; best on another volume.
    pub audit_checkpoints: PathBuf,
    /// Where the Scan-Ordner lie (`<dir>/<municipality code>/<name>`);
    /// default `<data>/scan`. IT shares it with the scanners.
    pub scan_dir: PathBuf,
    /// How often the Scan-Ordner are looked into; a file is taken once it
    /// has not changed between two looks.
    pub scan_interval_secs: u64,
    /// The key file Postfach passwords are sealed with (default
    /// `<data>/seal-key`, generated on first start); keep it out of the
    /// database backups.
    pub seal_key_file: PathBuf,
    /// A PEM file with the certificate of the municipality's own CA, for
    /// IMAP servers whose certificate the system store does not know.
    pub mail_ca_file: Option<PathBuf>,
    /// How often the Postfächer are looked into.
    pub mail_interval_secs: u64,
    /// Browser tests only: a file with seconds to move the clock ahead
    /// (`app::time::follow_clock_file`); refused by release builds.
    pub test_clock_file: Option<PathBuf>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url)
            .field("blob_dir", &self.blob_dir)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field(
                "session_secret",
                &self.session_secret.as_ref().map(|_| "<gesetzt>"),
            )
            .field("public_url", &self.public_url)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_hours", &self.session_max_hours)
            .field(
                "admin_password",
                &self.admin_password.as_ref().map(|_| "<gesetzt>"),
            )
            .field("demo", &self.demo)
            .field("trust_proxy", &self.trust_proxy)
            .field("site_root", &self.site_root)
            .field("log_format", &self.log_format)
            .field("index_dir", &self.index_dir)
            .field("workers", &self.workers)
            .field("extract_timeout_secs", &self.extract_timeout_secs)
            .field("audit_key", &self.audit_key.as_ref().map(|_| "<gesetzt>"))
            .field("audit_checkpoints", &self.audit_checkpoints)
            .field("scan_dir", &self.scan_dir)
            .field("scan_interval_secs", &self.scan_interval_secs)
            .field("seal_key_file", &self.seal_key_file)
            .field("mail_ca_file", &self.mail_ca_file)
            .field("mail_interval_secs", &self.mail_interval_secs)
            .field("test_clock_file", &self.test_clock_file)
            .finish()
    }
}

/// A setting that cannot be used; the message is for the IT admin.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("Konfigurationsfehler in {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

fn error(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        name,
        problem: problem.into(),
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(std::env::vars())
    }

    /// Reads settings from name/value pairs (testable without touching the
    /// process environment). Empty values count as unset.
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .into_iter()
            .filter(|(name, value)| {
                (name.starts_with("AKTENWERK_") || name.starts_with("LEPTOS_"))
                    && !value.trim().is_empty()
            })
            .collect();
        let get = |name: &str| vars.get(name).map(|v| v.trim().to_string());

        // cargo-leptos passes the address as LEPTOS_SITE_ADDR.
        let listen_raw = get("AKTENWERK_LISTEN")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen = listen_raw.parse().map_err(|_| {
            error(
                "AKTENWERK_LISTEN",
                format!(
                    "„{listen_raw}“ ist keine gültige Adresse mit Port (Beispiel: 127.0.0.1:3000)"
                ),
            )
        })?;
        let data_dir = PathBuf::from(get("AKTENWERK_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("AKTENWERK_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("aktenwerk.db").display()));
        if !database_url.starts_with("sqlite:") {
            return Err(error(
                "AKTENWERK_DATABASE_URL",
                "derzeit wird nur SQLite unterstützt (Beispiel: sqlite:///var/lib/aktenwerk/aktenwerk.db)",
            ));
        }
        let blob_dir = get("AKTENWERK_BLOB_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("blobs"));
        let max_upload_mb = parse_number(
            &get("AKTENWERK_MAX_UPLOAD_MB"),
            "AKTENWERK_MAX_UPLOAD_MB",
            512,
            1,
            102_400,
        )?;
        let session_secret = get("AKTENWERK_SESSION_SECRET");
        if let Some(secret) = &session_secret {
            if secret.len() < 32 {
                return Err(error(
                    "AKTENWERK_SESSION_SECRET",
                    "muss mindestens 32 Zeichen lang sein (z. B. `openssl rand -hex 32`)",
                ));
            }
        }
        let audit_key = get("AKTENWERK_AUDIT_KEY");
        if audit_key.as_ref().is_some_and(|key| key.len() < 32) {
            return Err(error(
                "AKTENWERK_AUDIT_KEY",
                "muss mindestens 32 Zeichen lang sein (z. B. `openssl rand -hex 32`)",
            ));
        }
        let audit_checkpoints = get("AKTENWERK_AUDIT_CHECKPOINTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("audit-checkpoints"));
        let public_url =
            get("AKTENWERK_PUBLIC_URL").map(|url| url.trim_end_matches('/').to_string());
        if let Some(url) = &public_url {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .ok_or_else(|| {
                    error(
                        "AKTENWERK_PUBLIC_URL",
                        "muss mit https:// oder http:// beginnen",
                    )
                })?;
            if rest.is_empty() || rest.contains('/') {
                return Err(error(
                    "AKTENWERK_PUBLIC_URL",
                    "nur Schema und Rechnername, ohne Pfad (Beispiel: https://aktenwerk.michelstadt.de)",
                ));
            }
        }
        let session_idle_minutes = parse_number(
            &get("AKTENWERK_SESSION_IDLE_MINUTES"),
            "AKTENWERK_SESSION_IDLE_MINUTES",
            60,
            5,
            24 * 60,
        )?;
        let session_max_hours = parse_number(
            &get("AKTENWERK_SESSION_MAX_HOURS"),
            "AKTENWERK_SESSION_MAX_HOURS",
            12,
            1,
            24 * 7,
        )?;
        let demo = parse_bool(&get("AKTENWERK_DEMO"), "AKTENWERK_DEMO")?;
        let trust_proxy = parse_bool(&get("AKTENWERK_TRUST_PROXY"), "AKTENWERK_TRUST_PROXY")?;
        let site_root = PathBuf::from(
            get("AKTENWERK_SITE_ROOT")
                .or_else(|| get("LEPTOS_SITE_ROOT"))
                .unwrap_or_else(|| "target/site".into()),
        );
        let log_format = match get("AKTENWERK_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(error(
                    "AKTENWERK_LOG_FORMAT",
                    format!("„{other}“ ist unbekannt; erlaubt sind text und json"),
                ))
            }
        };
        let index_dir = get("AKTENWERK_INDEX_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("search"));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let workers = parse_number(
            &get("AKTENWERK_WORKERS"),
            "AKTENWERK_WORKERS",
            i64::try_from(cores).unwrap_or(2),
            1,
            64,
        )?;
        let extract_timeout_secs = parse_number(
            &get("AKTENWERK_EXTRACT_TIMEOUT_SECS"),
            "AKTENWERK_EXTRACT_TIMEOUT_SECS",
            600,
            5,
            24 * 3600,
        )?;
        let scan_dir = get("AKTENWERK_SCAN_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("scan"));
        let scan_interval_secs = parse_number(
            &get("AKTENWERK_SCAN_INTERVAL_SECS"),
            "AKTENWERK_SCAN_INTERVAL_SECS",
            5,
            1,
            3600,
        )?;
        let mail_interval_secs = parse_number(
            &get("AKTENWERK_MAIL_INTERVAL_SECS"),
            "AKTENWERK_MAIL_INTERVAL_SECS",
            60,
            1,
            3600,
        )?;
        let seal_key_file = get("AKTENWERK_SEAL_KEY_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("seal-key"));
        Ok(Config {
            listen,
            data_dir,
            database_url,
            blob_dir,
            max_upload_bytes: max_upload_mb as u64 * 1024 * 1024,
            session_secret,
            public_url,
            session_idle_minutes,
            session_max_hours,
            admin_password: get("AKTENWERK_ADMIN_PASSWORD"),
            demo,
            trust_proxy,
            site_root,
            log_format,
            index_dir,
            workers: usize::try_from(workers).unwrap_or(1),
            extract_timeout_secs: u64::try_from(extract_timeout_secs).unwrap_or(600),
            audit_key,
            audit_checkpoints,
            scan_dir,
            scan_interval_secs: u64::try_from(scan_interval_secs).unwrap_or(5),
            seal_key_file,
            mail_ca_file: get("AKTENWERK_MAIL_CA_FILE").map(PathBuf::from),
            mail_interval_secs: u64::try_from(mail_interval_secs).unwrap_or(60),
            test_clock_file: get("AKTENWERK_TEST_CLOCK_FILE").map(PathBuf::from),
        })
    }

    /// Cookies are marked `Secure` when people reach Aktenwerk over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

fn parse_number(
    value: &Option<String>,
    name: &'static str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, ConfigError> {
    match value {
        None => Ok(default),
        Some(raw) => match raw.parse::<i64>() {
            Ok(number) if (min..=max).contains(&number) => Ok(number),
            _ => Err(error(
                name,
                format!("„{raw}“ ist keine ganze Zahl von {min} bis {max}"),
            )),
        },
    }
}

fn parse_bool(value: &Option<String>, name: &'static str) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::to_lowercase).as_deref() {
        None | Some("0" | "false" | "nein" | "no" | "off") => Ok(false),
        Some("1" | "true" | "ja" | "yes" | "on") => Ok(true),
        Some(other) => Err(error(
            name,
            format!("„{other}“ ist kein Wahrheitswert (true/false)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_run_on_embedded_sqlite_and_local_blobs() {
        let config = Config::from_vars(vars(&[("PATH", "/usr/bin")])).expect("defaults");
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/aktenwerk.db");
        assert_eq!(config.blob_dir, PathBuf::from("data/blobs"));
        assert_eq!(config.max_upload_bytes, 512 * 1024 * 1024);
        assert!(!config.demo);
        assert!(!config.secure_cookies());
        assert_eq!(config.session_idle_minutes, 60);
        assert_eq!(config.audit_key, None);
        assert_eq!(
            config.audit_checkpoints,
            PathBuf::from("data/audit-checkpoints")
        );
    }

    #[test]
    fn scan_folders_lie_in_the_data_directory_unless_set() {
        let config =
            Config::from_vars(vars(&[("AKTENWERK_DATA_DIR", "/srv/akten")])).expect("valid");
        assert_eq!(config.scan_dir, PathBuf::from("/srv/akten/scan"));
        assert_eq!(config.scan_interval_secs, 5);
        let config = Config::from_vars(vars(&[
            ("AKTENWERK_SCAN_DIR", "/mnt/scanner"),
            ("AKTENWERK_SCAN_INTERVAL_SECS", "2"),
        ]))
        .expect("valid");
        assert_eq!(config.scan_dir, PathBuf::from("/mnt/scanner"));
        assert_eq!(config.scan_interval_secs, 2);
        let err =
            Config::from_vars(vars(&[("AKTENWERK_SCAN_INTERVAL_SECS", "0")])).expect_err("zero");
        assert_eq!(err.name, "AKTENWERK_SCAN_INTERVAL_SECS");
    }

    #[test]
    fn postfaecher_have_a_seal_key_beside_the_data_and_an_interval() {
        let config =
            Config::from_vars(vars(&[("AKTENWERK_DATA_DIR", "/srv/akten")])).expect("valid");
        assert_eq!(config.seal_key_file, PathBuf::from("/srv/akten/seal-key"));
        assert_eq!(config.mail_ca_file, None);
        assert_eq!(config.mail_interval_secs, 60);
        let config = Config::from_vars(vars(&[
            ("AKTENWERK_SEAL_KEY_FILE", "/etc/aktenwerk/seal-key"),
            ("AKTENWERK_MAIL_CA_FILE", "/etc/ssl/gemeinde-ca.pem"),
            ("AKTENWERK_MAIL_INTERVAL_SECS", "30"),
        ]))
        .expect("valid");
        assert_eq!(
            config.seal_key_file,
            PathBuf::from("/etc/aktenwerk/seal-key")
        );
        assert_eq!(
            config.mail_ca_file,
            Some(PathBuf::from("/etc/ssl/gemeinde-ca.pem"))
        );
        assert_eq!(config.mail_interval_secs, 30);
        let err = Config::from_vars(vars(&[("AKTENWERK_MAIL_INTERVAL_SECS", "4000")]))
            .expect_err("too long");
        assert_eq!(err.name, "AKTENWERK_MAIL_INTERVAL_SECS");
    }

    #[test]
    fn the_audit_anchor_can_live_elsewhere() {
        let config = Config::from_vars(vars(&[
            ("AKTENWERK_AUDIT_KEY", &"k".repeat(32)),
            (
                "AKTENWERK_AUDIT_CHECKPOINTS",
                "/mnt/protokoll/audit-checkpoints",
            ),
        ]))
        .expect("valid");
        assert_eq!(config.audit_key.as_deref(), Some("k".repeat(32).as_str()));
        assert_eq!(
            config.audit_checkpoints,
            PathBuf::from("/mnt/protokoll/audit-checkpoints")
        );
        let err = Config::from_vars(vars(&[("AKTENWERK_AUDIT_KEY", "kurz")])).expect_err("short");
        assert_eq!(err.name, "AKTENWERK_AUDIT_KEY");
    }

    #[test]
    fn settings_are_read_and_derived() {
        let config = Config::from_vars(vars(&[
            ("AKTENWERK_LISTEN", "0.0.0.0:8080"),
            ("AKTENWERK_DATA_DIR", "/var/lib/aktenwerk"),
            ("AKTENWERK_MAX_UPLOAD_MB", "100"),
            ("AKTENWERK_PUBLIC_URL", "https://aktenwerk.michelstadt.de/"),
            ("AKTENWERK_DEMO", "ja"),
            ("AKTENWERK_SESSION_SECRET", &"x".repeat(40)),
        ]))
        .expect("valid");
        assert_eq!(config.listen.port(), 8080);
        assert_eq!(
            config.database_url,
            "sqlite:///var/lib/aktenwerk/aktenwerk.db"
        );
        assert_eq!(config.max_upload_bytes, 100 * 1024 * 1024);
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://aktenwerk.michelstadt.de")
        );
        assert!(config.secure_cookies());
        assert!(config.demo);
    }

    #[test]
    fn bad_values_name_the_setting_in_german() {
        let err = Config::from_vars(vars(&[("AKTENWERK_LISTEN", "localhost")])).expect_err("bad");
        assert_eq!(err.name, "AKTENWERK_LISTEN");
        assert!(err.to_string().contains("keine gültige Adresse"));
        for (name, value) in [
            ("AKTENWERK_MAX_UPLOAD_MB", "viel"),
            ("AKTENWERK_MAX_UPLOAD_MB", "0"),
            ("AKTENWERK_DEMO", "vielleicht"),
            ("AKTENWERK_SESSION_SECRET", "kurz"),
            ("AKTENWERK_PUBLIC_URL", "aktenwerk.de"),
            ("AKTENWERK_PUBLIC_URL", "https://a.de/pfad"),
            ("AKTENWERK_DATABASE_URL", "postgres://x"),
            ("AKTENWERK_LOG_FORMAT", "xml"),
        ] {
            let err = Config::from_vars(vars(&[(name, value)])).expect_err(value);
            assert_eq!(err.name, name);
        }
    }

    #[test]
    fn debug_output_hides_secrets() {
        let config = Config::from_vars(vars(&[
            ("AKTENWERK_SESSION_SECRET", &"geheim".repeat(8)),
            ("AKTENWERK_ADMIN_PASSWORD", "Rathaus-Passwort"),
            ("AKTENWERK_AUDIT_KEY", &"protokollschluessel".repeat(2)),
        ]))
        .expect("valid");
        let shown = format!("{config:?}");
        assert!(!shown.contains("protokollschluessel"));
        assert!(!shown.contains("geheim"));
        assert!(!shown.contains("Rathaus-Passwort"));
    }
}
