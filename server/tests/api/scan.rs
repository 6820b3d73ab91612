//! Scan-Ordner: files the scanners write are taken once complete, stored
//! like a browser upload, refused into the quarantine with a reason, and
//! never stored twice, also across a crash between storing and removing.

use crate::common::TestApp;
use app::documents::blobs::Step;
use app::scan::take::{sweep, Sweep, Watch};
use axum::http::StatusCode;
use std::path::PathBuf;

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

/// Erbach's Administration sets up `name` for its clerk; the folder's
/// directory on the server.
async fn scan_folder(app: &TestApp, name: &str, aktenzeichen: &str) -> (i64, PathBuf) {
    let admin = app.login_demo("admin.erb").await;
    let clerk = app.user_id("sachbearbeitung.erb").await;
    let id = app
        .call_ok(
            &admin,
            "create_scan_ordner",
            &format!("name={name}&responsible_id={clerk}&aktenzeichen={aktenzeichen}"),
        )
        .await
        .as_i64()
        .expect("id");
    (id, app.dir.path().join("scan").join("ERB").join(name))
}

/// Two looks: the first sees the files, the second takes the unchanged.
async fn look_twice(app: &TestApp, watch: &mut Watch) -> Sweep {
    sweep(&app.state, watch).await.expect("sweep");
    sweep(&app.state, watch).await.expect("sweep")
}

async fn documents(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM documents WHERE municipality_id = 2")
        .await
}

#[tokio::test]
async fn a_scan_is_taken_once_it_stops_growing_and_lands_in_the_posteingang() {
    let app = TestApp::demo().await;
    let (_, dir) = scan_folder(&app, "Poststelle", "").await;
    assert!(dir.is_dir(), "the folder is made on the server");
    assert!(dir.with_file_name("Poststelle-Quarantäne").is_dir());
    let before = documents(&app).await;
    let mut watch = Watch::default();

    // The scanner writes the first half, then (a sweep later) the rest.
    let file = dir.join("Scan_0001.pdf");
    std::fs::write(&file, &PDF[..20]).expect("write");
    std::fs::write(dir.join("Scan_0002.pdf.part"), PDF).expect("temporary");
    let first = sweep(&app.state, &mut watch).await.expect("sweep");
    assert_eq!(
        first,
        Sweep {
            waiting: 1,
            ..Sweep::default()
        }
    );
    std::fs::write(&file, PDF).expect("rest");
    let second = sweep(&app.state, &mut watch).await.expect("sweep");
    assert_eq!(second.stored, 0, "it changed since the last look");
    let third = sweep(&app.state, &mut watch).await.expect("sweep");
    assert_eq!(
        third,
        Sweep {
            stored: 1,
            ..Sweep::default()
        }
    );

    assert!(!file.exists(), "taken files are removed");
    assert!(
        dir.join("Scan_0002.pdf.part").exists(),
        "still being written"
    );
    assert_eq!(documents(&app).await, before + 1);
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let inbox = app.call_ok(&clerk, "load_inbox", "").await;
    let scanned = inbox
        .as_array()
        .and_then(|all| all.iter().find(|d| d["title"] == "Scan 0001"))
        .unwrap_or_else(|| panic!("in the Posteingang: {inbox}"));
    let id = scanned["id"].as_i64().expect("id");
    assert_eq!(
        scanned["uploaded_by"],
        "Sachbearbeitung Erbach über Scan-Ordner „Poststelle“"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'scan_file_stored' AND object_id = '{id}'
               AND actor_name LIKE 'Scan-Ordner „Poststelle“ (für %'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'document_uploaded' AND object_id = '{id}'"
        ))
        .await,
        1,
        "the same path as a browser upload"
    );
    let admin = app.login_demo("admin.erb").await;
    let overview = app.call_ok(&admin, "load_scan_ordner", "").await;
    assert_eq!(overview["rows"][0]["stored"], 1, "{overview}");
}

#[tokio::test]
async fn a_refused_file_moves_into_the_quarantine_with_its_reason() {
    let app = TestApp::demo().await;
    let (_, dir) = scan_folder(&app, "Poststelle", "").await;
    let before = documents(&app).await;
    let mut fake = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    fake.resize(512, 0);
    std::fs::write(dir.join("Rechnung.pdf"), &fake).expect("write");
    let mut watch = Watch::default();
    let done = look_twice(&app, &mut watch).await;
    assert_eq!(
        done,
        Sweep {
            refused: 1,
            ..Sweep::default()
        }
    );

    let quarantine = dir.with_file_name("Poststelle-Quarantäne");
    assert!(!dir.join("Rechnung.pdf").exists());
    assert_eq!(
        std::fs::read(quarantine.join("Rechnung.pdf")).expect("kept"),
        fake
    );
    let reason =
        std::fs::read_to_string(quarantine.join("Rechnung.pdf.grund.txt")).expect("reason");
    assert!(
        reason.contains("nicht übernommen") && reason.contains("Grund: "),
        "{reason}"
    );
    assert_eq!(documents(&app).await, before, "nothing stored");

    // The same name again: the quarantine keeps both.
    std::fs::write(dir.join("Rechnung.pdf"), &fake).expect("again");
    look_twice(&app, &mut watch).await;
    assert!(quarantine.join("2 Rechnung.pdf").exists());

    let admin = app.login_demo("admin.erb").await;
    let overview = app.call_ok(&admin, "load_scan_ordner", "").await;
    assert_eq!(
        overview["refusals"][0]["what"], "Rechnung.pdf",
        "{overview}"
    );
    assert!(!overview["refusals"][0]["why"]
        .as_str()
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn a_crash_between_storing_and_removing_leaves_one_document() {
    let app = TestApp::demo().await;
    let (_, dir) = scan_folder(&app, "Poststelle", "").await;
    let before = documents(&app).await;
    std::fs::write(dir.join("Bescheid.pdf"), PDF).expect("write");
    let mut watch = Watch::default();
    sweep(&app.state, &mut watch).await.expect("sweep");
    // The document commits, then the process "dies" before the file is
    // removed.
    app.state.blobs.fail_after(Some(Step::Committed));
    sweep(&app.state, &mut watch).await.expect("sweep");
    assert!(dir.join("Bescheid.pdf").exists());
    assert_eq!(documents(&app).await, before + 1);

    let app = app.restart().await;
    let mut watch = Watch::default();
    let done = look_twice(&app, &mut watch).await;
    assert_eq!(
        done,
        Sweep {
            removed: 1,
            ..Sweep::default()
        }
    );
    assert!(!dir.join("Bescheid.pdf").exists());
    assert_eq!(documents(&app).await, before + 1, "never a second document");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM scan_dateien WHERE outcome = 'stored' AND document_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM scan_dateien WHERE outcome <> 'stored'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_thousand_files_dropped_at_once_all_arrive_exactly_once() {
    let app = TestApp::demo().await;
    let (_, dir) = scan_folder(&app, "Poststelle", "").await;
    let before = documents(&app).await;
    for n in 0..1000 {
        std::fs::write(
            dir.join(format!("Brief {n:04}.txt")),
            format!("Schreiben Nummer {n} an die Gemeinde Erbach"),
        )
        .expect("write");
    }
    let mut watch = Watch::default();
    let first = sweep(&app.state, &mut watch).await.expect("sweep");
    assert_eq!(first.waiting, 1000);
    let second = sweep(&app.state, &mut watch).await.expect("sweep");
    assert_eq!(
        second,
        Sweep {
            stored: 1000,
            ..Sweep::default()
        }
    );
    assert_eq!(documents(&app).await, before + 1000);
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0);
    assert_eq!(
        sweep(&app.state, &mut watch).await.expect("sweep"),
        Sweep::default()
    );
}

#[tokio::test]
async fn a_folder_files_into_its_akte_and_stops_when_taken_out_of_use() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let akte = app
        .open_akte(&clerk, "621.1", "Bauanträge", "2026-01-05")
        .await;
    let zeichen: String = sqlx::query_scalar("SELECT aktenzeichen FROM akten WHERE id = ?")
        .bind(akte)
        .fetch_one(&app.state.pool)
        .await
        .expect("zeichen");
    let (id, dir) = scan_folder(&app, "Bauamt", &zeichen).await;
    std::fs::write(dir.join("Antrag.pdf"), PDF).expect("write");
    let mut watch = Watch::default();
    look_twice(&app, &mut watch).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM documents WHERE akte_id = {akte}"
        ))
        .await,
        1
    );

    let admin = app.login_demo("admin.erb").await;
    app.call_ok(&admin, "remove_scan_ordner", &format!("id={id}"))
        .await;
    std::fs::write(dir.join("Nachtrag.pdf"), b"%PDF-1.7\n%%EOF\nNachtrag").expect("write");
    sweep(&app.state, &mut watch).await.expect("sweep");
    assert_eq!(
        sweep(&app.state, &mut watch).await.expect("sweep"),
        Sweep::default()
    );
    assert!(dir.join("Nachtrag.pdf").exists(), "left where it is");
    let reply = app
        .call(&admin, "remove_scan_ordner", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_settings_get_a_german_message_and_set_up_nothing() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.erb").await;
    let clerk = app.user_id("sachbearbeitung.erb").await;
    let foreign = app.user_id("sachbearbeitung.mic").await;
    for form in [
        format!("name=..%2Fetc&responsible_id={clerk}&aktenzeichen="),
        format!("name=P&responsible_id={clerk}&aktenzeichen="),
        format!("name=Poststelle&responsible_id={foreign}&aktenzeichen="),
        format!("name=Poststelle&responsible_id={clerk}&aktenzeichen=ERB%20999.9-0001"),
    ] {
        let reply = app.call(&admin, "create_scan_ordner", &form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form}: {}",
            reply.body
        );
        assert!(!reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty());
    }
    app.call_ok(
        &admin,
        "create_scan_ordner",
        &format!("name=Poststelle&responsible_id={clerk}&aktenzeichen="),
    )
    .await;
    let again = app
        .call(
            &admin,
            "create_scan_ordner",
            &format!("name=poststelle&responsible_id={clerk}&aktenzeichen="),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM scan_ordner").await, 1);
    assert!(!app.dir.path().join("scan").join("ERB").join("P").exists());
}

#[tokio::test]
async fn files_wait_while_the_responsible_clerk_is_deactivated() {
    let app = TestApp::demo().await;
    let (_, dir) = scan_folder(&app, "Poststelle", "").await;
    let clerk = app.user_id("sachbearbeitung.erb").await;
    let set_active = |active: bool| {
        sqlx::query("UPDATE users SET active = ? WHERE id = ?")
            .bind(active)
            .bind(clerk)
            .execute(&app.state.pool)
    };
    set_active(false).await.expect("deactivate");
    std::fs::write(dir.join("Brief.pdf"), PDF).expect("write");
    let mut watch = Watch::default();
    assert_eq!(look_twice(&app, &mut watch).await, Sweep::default());
    assert!(dir.join("Brief.pdf").exists(), "it waits");
    let admin = app.login_demo("admin.erb").await;
    let overview = app.call_ok(&admin, "load_scan_ordner", "").await;
    assert_eq!(
        overview["rows"][0]["responsible_inactive"], true,
        "{overview}"
    );

    set_active(true).await.expect("reactivate");
    assert_eq!(
        look_twice(&app, &mut watch).await,
        Sweep {
            stored: 1,
            ..Sweep::default()
        }
    );
    let overview = app.call_ok(&admin, "load_scan_ordner", "").await;
    assert_eq!(overview["rows"][0]["responsible_inactive"], false);
}
