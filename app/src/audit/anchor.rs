//! Anchoring the end of the audit chain outside the database.
//!
//! The hash chain shows an edited or removed entry, but not a cut at the
//! end: whoever can write the database can delete the newest entries (or
//! delete them and write a new, consistent end) and the chain still links.
//! So the server regularly appends a checkpoint to a file outside the
//! database: the newest entry's id and hash, the time, and an HMAC over
//! them with a key the database does not hold. Verification then also
//! demands that every checkpoint is authentic and that the entry it names
//! is still there with the same hash.
//!
//! The protection is only as good as the separation: with the key and the
//! checkpoint file on the same disk as the database, someone with that disk
//! can forge checkpoints too. Keep `AKTENWERK_AUDIT_KEY` in the service's
//! secret store and/or `AKTENWERK_AUDIT_CHECKPOINTS` on another volume.
//!
//! Line format, one checkpoint a line:
//! `<id> <sha256 of entry, hex> <unix seconds> <hmac-sha256(key, "id|hash|time"), hex>`

use super::AnchorProblem;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::SqlitePool;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How often the server looks for new entries to anchor. Entries newer than
/// the last checkpoint (at most this old, plus the time since a crash) can
/// still be cut off unnoticed.
pub const CHECKPOINT_PERIOD: std::time::Duration = std::time::Duration::from_secs(5);

/// Problems listed one by one; the rest are counted.
const MAX_LISTED: usize = 20;

/// The secret that signs checkpoints.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

impl AuditKey {
    pub fn new(bytes: Vec<u8>) -> AuditKey {
        AuditKey(bytes)
    }

    fn mac(&self, id: i64, hash: &str, at: i64) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(format!("{id}|{hash}|{at}").as_bytes());
        mac
    }
}

/// One line of the checkpoint file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub id: i64,
    pub hash: String,
    pub at: i64,
    pub mac: String,
}

impl Checkpoint {
    pub fn sign(key: &AuditKey, id: i64, hash: &str, at: i64) -> Checkpoint {
        Checkpoint {
            id,
            hash: hash.to_string(),
            at,
            mac: hex::encode(key.mac(id, hash, at).finalize().into_bytes()),
        }
    }

    pub fn to_line(&self) -> String {
        format!("{} {} {} {}", self.id, self.hash, self.at, self.mac)
    }

    /// `None` for anything that is not exactly four well-formed fields.
    pub fn parse(line: &str) -> Option<Checkpoint> {
        let mut fields = line.split(' ');
        let id = fields.next()?.parse().ok()?;
        let hash = fields.next()?;
        let at = fields.next()?.parse().ok()?;
        let mac = fields.next()?;
        let is_hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if fields.next().is_some() || !is_hex(hash) || !is_hex(mac) {
            return None;
        }
        Some(Checkpoint {
            id,
            hash: hash.to_string(),
            at,
            mac: mac.to_string(),
        })
    }

    /// Checked in constant time, so the MAC cannot be guessed byte by byte.
    pub fn is_authentic(&self, key: &AuditKey) -> bool {
        hex::decode(&self.mac).is_ok_and(|mac| {
            key.mac(self.id, &self.hash, self.at)
                .verify_slice(&mac)
                .is_ok()
        })
    }
}

/// The authentic checkpoints of a file's text, and a problem for every
/// line that is not one (blank lines, e.g. a final newline, are skipped).
pub fn read_checkpoints(text: &str, key: &AuditKey) -> (Vec<Checkpoint>, Vec<AnchorProblem>) {
    let mut checkpoints = Vec::new();
    let mut problems = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match Checkpoint::parse(line) {
            Some(checkpoint) if checkpoint.is_authentic(key) => checkpoints.push(checkpoint),
            _ => problems.push(AnchorProblem::ForgedCheckpoint {
                line: number as u64 + 1,
            }),
        }
    }
    (checkpoints, problems)
}

/// Compares authentic checkpoints with the log: `stored` holds the hash of
/// every entry that still exists among the checkpoints' ids, `newest_id`
/// the log's newest id. A cut-off end is reported once (for the newest
/// checkpoint beyond it); other contradictions once per entry.
pub fn compare(
    checkpoints: &[Checkpoint],
    stored: &HashMap<i64, String>,
    newest_id: Option<i64>,
) -> Vec<AnchorProblem> {
    let mut sorted: Vec<&Checkpoint> = checkpoints.iter().collect();
    sorted.sort_by_key(|c| c.id);
    let mut problems = Vec::new();
    let mut reported = HashSet::new();
    let mut beyond_end: Option<&Checkpoint> = None;
    for checkpoint in sorted {
        match stored.get(&checkpoint.id) {
            Some(hash) if *hash == checkpoint.hash => {}
            Some(_) => {
                if reported.insert(checkpoint.id) {
                    problems.push(AnchorProblem::EntryRewritten { id: checkpoint.id });
                }
            }
            None if newest_id.is_none_or(|newest| checkpoint.id > newest) => {
                beyond_end = Some(checkpoint);
            }
            None => {
                if reported.insert(checkpoint.id) {
                    problems.push(AnchorProblem::EntryMissing { id: checkpoint.id });
                }
            }
        }
    }
    let mut listed: Vec<AnchorProblem> = problems.iter().take(MAX_LISTED).cloned().collect();
    if problems.len() > MAX_LISTED {
        listed.push(AnchorProblem::More {
            count: (problems.len() - MAX_LISTED) as u64,
        });
    }
    if let Some(checkpoint) = beyond_end {
        listed.push(AnchorProblem::Truncated {
            checkpoint_id: checkpoint.id,
            newest_id,
            checkpoint_time: crate::time::display_exact(checkpoint.at),
        });
    }
    listed
}

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("audit log: {0}")]
    Database(#[from] sqlx::Error),
    #[error("checkpoint file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// Id and hash of the newest entry, `None` for an empty log.
type Newest = Option<(i64, String)>;

/// The key and the checkpoint file; cheap to clone, shared by the
/// background task, shutdown and the administrators' check.
#[derive(Clone, Debug)]
pub struct AuditAnchor {
    key: AuditKey,
    path: PathBuf,
    /// The newest entry anchored by this process (`None` until the file's
    /// last line was read), so an idle server writes nothing.
    last: Arc<tokio::sync::Mutex<Option<Newest>>>,
}

impl AuditAnchor {
    pub fn new(key: AuditKey, path: impl Into<PathBuf>) -> AuditAnchor {
        AuditAnchor {
            key,
            path: path.into(),
            last: Arc::default(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Authentic checkpoints and the problems of the file; a missing file
    /// is an empty one (nothing anchored yet).
    pub async fn read(&self) -> (Vec<Checkpoint>, Vec<AnchorProblem>) {
        match tokio::fs::read_to_string(&self.path).await {
            Ok(text) => read_checkpoints(&text, &self.key),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => (Vec::new(), Vec::new()),
            Err(error) => (
                Vec::new(),
                vec![AnchorProblem::Unreadable {
                    reason: error.to_string(),
                }],
            ),
        }
    }

    fn file_error(&self, source: std::io::Error) -> AnchorError {
        AnchorError::File {
            path: self.path.display().to_string(),
            source,
        }
    }
}

/// Appends one line and waits until it is on disk. A single `write` on a
/// file opened for appending, so lines of two processes (server and the
/// `verify-audit` command) never interleave.
async fn append_line(path: PathBuf, line: String) -> std::io::Result<()> {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path)?;
        file.write_all(format!("{line}\n").as_bytes())?;
        file.sync_all()
    })
    .await
    .map_err(std::io::Error::other)?
}

/// Anchors the newest entry unless it is anchored already; returns the
/// checkpoint written, if any. What the background task, the shutdown and
/// `verify-audit` call.
pub async fn checkpoint(
    pool: &SqlitePool,
    anchor: &AuditAnchor,
) -> Result<Option<Checkpoint>, AnchorError> {
    let mut last = anchor.last.lock().await;
    if last.is_none() {
        let (checkpoints, _) = anchor.read().await;
        *last = Some(checkpoints.last().map(|c| (c.id, c.hash.clone())));
    }
    let Some(newest) = super::storage::newest(pool).await? else {
        return Ok(None);
    };
    if let Some(Some(previous)) = last.as_ref() {
        if *previous == newest {
            return Ok(None);
        }
        if newest.0 < previous.0 {
            // The old checkpoints keep the evidence; this one does not
            // excuse the gap.
            tracing::error!(
                anchored = previous.0,
                newest = newest.0,
                "audit log is shorter than its last checkpoint: newest entries were removed"
            );
        }
    }
    let signed = Checkpoint::sign(&anchor.key, newest.0, &newest.1, crate::time::now());
    append_line(anchor.path.clone(), signed.to_line())
        .await
        .map_err(|error| anchor.file_error(error))?;
    *last = Some(Some(newest));
    Ok(Some(signed))
}

/// The chain and every checkpoint, as the administrators' check and
/// `verify-audit` report it.
pub async fn verify(
    pool: &SqlitePool,
    anchor: &AuditAnchor,
) -> Result<super::ChainReport, sqlx::Error> {
    let (checkpoints, file_problems) = anchor.read().await;
    let mut report = super::storage::verify_anchored(pool, &checkpoints).await?;
    if !file_problems.is_empty() {
        report.anchor_problems.splice(0..0, file_problems);
    }
    Ok(report)
}

/// The background task: a checkpoint every [`CHECKPOINT_PERIOD`] when the
/// log has grown. Runs until aborted.
pub async fn run(pool: SqlitePool, anchor: AuditAnchor) {
    let mut interval = tokio::time::interval(CHECKPOINT_PERIOD);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = checkpoint(&pool, &anchor).await {
            tracing::warn!(%error, "audit checkpoint not written");
        }
    }
}

/// The key from the file at `path`, generated (random, owner read-only) on
/// first use.
pub fn load_or_create_key(path: &Path) -> std::io::Result<AuditKey> {
    crate::secrets::load_or_create_key(path).map(AuditKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "ab12000000000000000000000000000000000000000000000000000000000000";

    fn key() -> AuditKey {
        AuditKey::new(b"a test key that is long enough!!".to_vec())
    }

    #[test]
    fn a_signed_line_reads_back_and_is_authentic() {
        let checkpoint = Checkpoint::sign(&key(), 42, HASH, 1_782_900_000);
        let line = checkpoint.to_line();
        assert!(line.starts_with(&format!("42 {HASH} 1782900000 ")));
        let parsed = Checkpoint::parse(&line).expect("parses");
        assert_eq!(parsed, checkpoint);
        assert!(parsed.is_authentic(&key()));
    }

    #[test]
    fn any_change_or_another_key_breaks_the_mac() {
        let good = Checkpoint::sign(&key(), 42, HASH, 1_782_900_000);
        let other_key = AuditKey::new(b"another key".to_vec());
        assert!(!good.is_authentic(&other_key));
        for changed in [
            Checkpoint {
                id: 43,
                ..good.clone()
            },
            Checkpoint {
                at: 1_782_900_001,
                ..good.clone()
            },
            Checkpoint {
                hash: HASH.replace("ab", "cd"),
                ..good.clone()
            },
            Checkpoint {
                mac: "0".repeat(64),
                ..good.clone()
            },
            Checkpoint {
                mac: "zz".into(),
                ..good.clone()
            },
        ] {
            assert!(!changed.is_authentic(&key()), "{changed:?}");
        }
    }

    #[test]
    fn malformed_lines_do_not_parse() {
        let line = Checkpoint::sign(&key(), 1, HASH, 5).to_line();
        for bad in [
            String::new(),
            "1 2 3".into(),
            format!("{line} extra"),
            line.replacen("1 ", "x ", 1),
            line.replace(HASH, "short"),
            format!(" {line}"),
        ] {
            assert_eq!(Checkpoint::parse(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn forged_lines_are_reported_by_line_number_and_skipped() {
        let good = Checkpoint::sign(&key(), 1, HASH, 5);
        let forged = Checkpoint::sign(&AuditKey::new(b"guess".to_vec()), 2, HASH, 6);
        let text = format!("{}\n{}\n\nrubbish\n", good.to_line(), forged.to_line());
        let (checkpoints, problems) = read_checkpoints(&text, &key());
        assert_eq!(checkpoints, vec![good]);
        assert_eq!(
            problems,
            vec![
                AnchorProblem::ForgedCheckpoint { line: 2 },
                AnchorProblem::ForgedCheckpoint { line: 4 },
            ]
        );
    }

    fn log(entries: &[(i64, &str)]) -> HashMap<i64, String> {
        entries
            .iter()
            .map(|(id, hash)| (*id, hash.to_string()))
            .collect()
    }

    #[test]
    fn agreeing_checkpoints_are_no_problem() {
        let checkpoints = [
            Checkpoint::sign(&key(), 3, "h3", 10),
            Checkpoint::sign(&key(), 7, "h7", 20),
        ];
        assert_eq!(
            compare(&checkpoints, &log(&[(3, "h3"), (7, "h7")]), Some(9)),
            vec![]
        );
        assert_eq!(compare(&[], &HashMap::new(), Some(9)), vec![]);
        assert_eq!(compare(&[], &HashMap::new(), None), vec![]);
    }

    #[test]
    fn a_cut_off_end_is_reported_once_for_the_newest_checkpoint() {
        let checkpoints = [
            Checkpoint::sign(&key(), 3, "h3", 10),
            Checkpoint::sign(&key(), 9, "h9", 1_782_900_000),
            Checkpoint::sign(&key(), 7, "h7", 20),
        ];
        assert_eq!(
            compare(&checkpoints, &log(&[(3, "h3")]), Some(5)),
            vec![AnchorProblem::Truncated {
                checkpoint_id: 9,
                newest_id: Some(5),
                checkpoint_time: "01.07.2026 12:00:00".into(),
            }]
        );
        // Everything removed.
        let problems = compare(&checkpoints, &HashMap::new(), None);
        assert!(matches!(
            problems.as_slice(),
            [AnchorProblem::Truncated {
                checkpoint_id: 9,
                newest_id: None,
                ..
            }]
        ));
        assert!(problems[0].describe().contains("ist leer"));
    }

    #[test]
    fn a_rewritten_or_missing_entry_inside_the_log_is_reported() {
        let checkpoints = [
            Checkpoint::sign(&key(), 3, "h3", 10),
            Checkpoint::sign(&key(), 5, "h5", 11),
            Checkpoint::sign(&key(), 7, "h7", 20),
            Checkpoint::sign(&key(), 7, "h7", 21),
        ];
        assert_eq!(
            compare(&checkpoints, &log(&[(3, "h3"), (7, "other")]), Some(8)),
            vec![
                AnchorProblem::EntryMissing { id: 5 },
                AnchorProblem::EntryRewritten { id: 7 },
            ]
        );
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        let checkpoints: Vec<Checkpoint> = (1..=25)
            .map(|id| Checkpoint::sign(&key(), id, "old", id))
            .collect();
        let stored = log(&(1..=25).map(|id| (id, "new")).collect::<Vec<_>>());
        let problems = compare(&checkpoints, &stored, Some(25));
        assert_eq!(problems.len(), MAX_LISTED + 1);
        assert_eq!(problems.last(), Some(&AnchorProblem::More { count: 5 }));
    }

    #[test]
    fn the_key_file_is_created_once_private_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("audit-key");
        let first = load_or_create_key(&path).expect("create");
        let second = load_or_create_key(&path).expect("read");
        assert_eq!(first.0, second.0);
        assert!(first.0.len() >= 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "short").expect("write");
        assert!(load_or_create_key(&path).is_err());
    }

    #[tokio::test]
    async fn checkpoints_are_appended_only_when_the_log_grew() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/audit.db", dir.path().display());
        let pool = crate::db::connect(&url).await.expect("connect");
        crate::db::migrate(&pool).await.expect("migrate");
        let anchor = AuditAnchor::new(key(), dir.path().join("audit-checkpoints"));
        assert_eq!(checkpoint(&pool, &anchor).await.expect("empty log"), None);

        let entry = || super::super::storage::NewEntry {
            actor_name: "Test".into(),
            action: "login",
            object_type: "user",
            details: serde_json::json!({}),
            ..Default::default()
        };
        super::super::service::record_alone(&pool, entry())
            .await
            .expect("record");
        let written = checkpoint(&pool, &anchor).await.expect("write");
        assert_eq!(written.as_ref().map(|c| c.id), Some(1));
        assert_eq!(checkpoint(&pool, &anchor).await.expect("again"), None);

        // A second process (verify-audit) knows the file's last line too.
        let other = AuditAnchor::new(key(), anchor.path());
        assert_eq!(checkpoint(&pool, &other).await.expect("other"), None);
        super::super::service::record_alone(&pool, entry())
            .await
            .expect("record");
        assert!(checkpoint(&pool, &other).await.expect("grew").is_some());

        let report = verify(&pool, &anchor).await.expect("verify");
        assert_eq!(report.checkpoints_checked, 2);
        assert!(report.is_intact(), "{report:?}");
    }
}
