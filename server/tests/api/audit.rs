//! The audit chain anchored outside the database (checkpoints keyed with a
//! secret the database does not hold), and the data directory kept private.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;

/// Which files of the data directory someone else on the machine could read.
#[cfg(unix)]
fn group_or_other_bits(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .permissions()
        .mode()
        & 0o077
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_database_and_files_are_private() {
    // A data directory that does not exist yet, as on a first start (the
    // temporary directory itself is already 0700).
    let parent = tempfile::tempdir().expect("tempdir");
    let data = parent.path().join("daten");
    let app = TestApp::with(&[
        ("AKTENWERK_DEMO", "true"),
        ("AKTENWERK_DATA_DIR", &data.display().to_string()),
    ])
    .await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .upload(&clerk, "brief.txt", "", b"Sehr geehrte Damen und Herren")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    app::audit::anchor::checkpoint(&app.state.pool, &app.state.settings.audit_anchor)
        .await
        .expect("checkpoint");

    for dir in ["", "blobs", "search"] {
        assert_eq!(group_or_other_bits(&data.join(dir)), 0, "directory {dir:?}");
    }
    for file in [
        "aktenwerk.db",
        "aktenwerk.db-wal",
        "session-secret",
        "audit-key",
        "audit-checkpoints",
    ] {
        assert_eq!(group_or_other_bits(&data.join(file)), 0, "{file}");
    }
    let mut blobs = Vec::new();
    let mut pending = vec![data.join("blobs")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                blobs.push(path);
            }
        }
    }
    assert!(!blobs.is_empty(), "the upload left no file");
    for blob in blobs {
        assert_eq!(group_or_other_bits(&blob), 0, "{}", blob.display());
    }
}

/// What the server function reports, as JSON.
async fn verify(app: &TestApp, admin: &str) -> serde_json::Value {
    let reply = app.call(admin, "verify_audit", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn checkpoint(app: &TestApp) {
    app::audit::anchor::checkpoint(&app.state.pool, &app.state.settings.audit_anchor)
        .await
        .expect("checkpoint")
        .expect("a new checkpoint was written");
}

async fn newest_id(app: &TestApp) -> i64 {
    app.count("SELECT MAX(id) FROM audit_log").await
}

/// Someone with write access to the database only (not to the key).
async fn delete_newest(app: &TestApp, count: i64) {
    let pool = &app.state.pool;
    sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_delete")
        .execute(pool)
        .await
        .expect("drop trigger");
    sqlx::query("DELETE FROM audit_log WHERE id > (SELECT MAX(id) FROM audit_log) - ?")
        .bind(count)
        .execute(pool)
        .await
        .expect("delete");
}

#[tokio::test]
async fn an_untouched_log_with_checkpoints_is_in_order() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.mic").await;
    checkpoint(&app).await;
    app.login_demo("admin.erb").await;
    checkpoint(&app).await;
    // Nothing new: no second line for the same end.
    let again = app::audit::anchor::checkpoint(&app.state.pool, &app.state.settings.audit_anchor)
        .await
        .expect("checkpoint");
    assert_eq!(again, None);

    let report = verify(&app, &admin).await;
    assert!(report["first_broken_id"].is_null(), "{report}");
    assert_eq!(report["checkpoints_checked"], 2, "{report}");
    assert_eq!(report["anchor_problems"], serde_json::json!([]), "{report}");
}

#[tokio::test]
async fn removing_the_newest_entries_is_detected() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.mic").await;
    app.login_demo("sachbearbeitung.erb").await;
    app.login_demo("projekt.obz").await;
    checkpoint(&app).await;
    let anchored = newest_id(&app).await;

    let (ok, out) = verify_command(&app);
    assert!(ok, "{out}");
    assert!(out.contains("Prüfpunkte stimmen"), "{out}");

    // The chain alone cannot see a cut at the end.
    delete_newest(&app, 2).await;
    let chain = app::audit::storage::verify_chain(&app.state.pool)
        .await
        .expect("verify");
    assert_eq!(chain.first_broken_id, None);

    let report = app::audit::anchor::verify(&app.state.pool, &app.state.settings.audit_anchor)
        .await
        .expect("verify");
    assert!(!report.is_intact(), "{report:?}");
    assert_eq!(
        report.anchor_problems,
        vec![app::audit::AnchorProblem::Truncated {
            checkpoint_id: anchored,
            newest_id: Some(anchored - 2),
            checkpoint_time: match &report.anchor_problems[0] {
                app::audit::AnchorProblem::Truncated {
                    checkpoint_time, ..
                } => checkpoint_time.clone(),
                other => panic!("{other:?}"),
            },
        }]
    );
    let text = report.anchor_problems[0].describe();
    assert!(text.contains("entfernt"), "{text}");
    assert!(text.contains(&anchored.to_string()), "{text}");

    // The administrators' page and the command say so too.
    let json = verify(&app, &admin).await;
    assert_eq!(json["anchor_problems"].as_array().map(Vec::len), Some(1));
    let (ok, out) = verify_command(&app);
    assert!(!ok, "{out}");
    assert!(out.contains("PROTOKOLL VERLETZT"), "{out}");
    assert!(out.contains("entfernt"), "{out}");
}

/// `aktenwerk verify-audit` on the test server's data directory: success
/// and what it printed.
fn verify_command(app: &TestApp) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aktenwerk"))
        .arg("verify-audit")
        .env("AKTENWERK_DATA_DIR", app.dir.path())
        .output()
        .expect("run aktenwerk");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn a_rewritten_end_with_a_consistent_chain_is_detected() {
    let app = TestApp::demo().await;
    app.login_demo("admin.mic").await;
    app.login_demo("admin.erb").await;
    checkpoint(&app).await;
    let anchored = newest_id(&app).await;

    // Cut the end and write a new, internally consistent end in its place
    // (what someone without the key can do): the chain alone is happy.
    delete_newest(&app, 2).await;
    for name in ["Erika", "Max", "Moritz"] {
        app::audit::service::record_alone(
            &app.state.pool,
            app::audit::storage::NewEntry {
                actor_name: name.into(),
                action: "login",
                object_type: "user",
                details: serde_json::json!({}),
                ..Default::default()
            },
        )
        .await
        .expect("record");
    }
    assert!(newest_id(&app).await > anchored);
    let chain = app::audit::storage::verify_chain(&app.state.pool)
        .await
        .expect("verify");
    assert_eq!(chain.first_broken_id, None);

    let report = app::audit::anchor::verify(&app.state.pool, &app.state.settings.audit_anchor)
        .await
        .expect("verify");
    assert_eq!(
        report.anchor_problems,
        vec![app::audit::AnchorProblem::EntryRewritten { id: anchored }],
        "{report:?}"
    );
}

#[tokio::test]
async fn a_forged_checkpoint_line_is_reported() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.mic").await;
    checkpoint(&app).await;
    let path = app.state.settings.audit_anchor.path().to_path_buf();
    let real = std::fs::read_to_string(&path).expect("read");
    let newest = newest_id(&app).await;
    // A line for the present end, signed with the wrong key.
    let hash: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = ?")
        .bind(newest)
        .fetch_one(&app.state.pool)
        .await
        .expect("hash");
    let forged = app::audit::anchor::Checkpoint::sign(
        &app::audit::anchor::AuditKey::new(b"not the key".to_vec()),
        newest,
        &hash,
        0,
    );
    std::fs::write(&path, format!("{real}{}\n", forged.to_line())).expect("write");

    let report = verify(&app, &admin).await;
    assert_eq!(report["checkpoints_checked"], 1, "{report}");
    assert_eq!(
        report["anchor_problems"],
        serde_json::json!([{"ForgedCheckpoint": {"line": 2}}]),
        "{report}"
    );
}
