//! Destroying records (issue 14): emptying the trash and resetting practice
//! with the real extraction workers running, a worker or a preview that
//! finishes after its document was destroyed, and processing and store
//! verification scoped to the administrator's municipality.
#![allow(clippy::unwrap_used)]

use crate::common;

use app::processing::TextState;
use axum::http::StatusCode;
use common::{samples, TestApp};

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_string()
}

async fn search_total(app: &TestApp, cookie: &str, q: &str) -> u64 {
    let form = format!(
        "params[q]={}&params[sort]=Relevance&params[page]=1",
        urlencode(q)
    );
    let reply = app.call(cookie, "search_documents", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["total"].as_u64().unwrap()
}

/// Waits until `sql` (a count) answers `expected`.
async fn wait_for_count(app: &TestApp, sql: &str, expected: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let found = app.count(sql).await;
        if found == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{sql} still {found}, expected {expected}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn trash(app: &TestApp, cookie: &str, id: i64) {
    let reply = app
        .call(
            cookie,
            "bulk_documents",
            &format!("ids[0]={id}&action=trash&value="),
        )
        .await;
    assert_eq!(reply.body, "1", "{}", reply.body);
}

#[tokio::test]
async fn the_trash_empties_documents_with_extracted_text_while_the_workers_run() {
    let app = TestApp::demo_with_background().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let bytes = samples::text_pdf(&["Niederschrift über den Quittenbaum am Marktplatz"]);
    let gone = app.upload_ok(&clerk, "Niederschrift.pdf", &bytes).await;
    let keep = app
        .upload_ok(
            &clerk,
            "Behalten.txt",
            "Vermerk zur Streuobstwiese".as_bytes(),
        )
        .await;
    for id in [gone, keep] {
        assert!(
            matches!(
                app.settled_text_state(id).await,
                TextState::Searchable { .. }
            ),
            "document {id}"
        );
    }
    assert_eq!(search_total(&app, &clerk, "Quittenbaum").await, 1);
    let reply = app
        .call(
            &clerk,
            "bulk_documents",
            &format!("ids[0]={gone}&action=tag&value=Baum"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    trash(&app, &clerk, gone).await;

    let admin = app.login_demo("admin.erb").await;
    let reply = app.call(&admin, "empty_trash", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, "1");

    for (what, sql) in [
        (
            "document",
            format!("SELECT COUNT(*) FROM documents WHERE id = {gone}"),
        ),
        (
            "versions",
            format!("SELECT COUNT(*) FROM document_versions WHERE document_id = {gone}"),
        ),
        (
            "tags",
            format!("SELECT COUNT(*) FROM document_tags WHERE document_id = {gone}"),
        ),
        (
            "texts (only the kept one's)",
            "SELECT COUNT(*) - 1 FROM version_texts".to_string(),
        ),
        (
            "jobs (only the kept one's)",
            "SELECT COUNT(*) - 1 FROM jobs".to_string(),
        ),
        (
            "blob row",
            format!(
                "SELECT COUNT(*) FROM blobs WHERE sha256 = '{}'",
                app::documents::blobs::sha256_hex(&bytes)
            ),
        ),
    ] {
        assert_eq!(app.count(&sql).await, 0, "{what} left behind");
    }
    assert!(
        !app.state
            .blobs
            .path_of(&app::documents::blobs::sha256_hex(&bytes))
            .exists(),
        "the file is gone"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'trash_emptied'")
            .await,
        1
    );
    // The index forgets it, and nothing brings it back.
    wait_for_count(&app, "SELECT COUNT(*) FROM search_outbox", 0).await;
    assert_eq!(app.state.search.num_docs(), 1);
    assert_eq!(search_total(&app, &clerk, "Quittenbaum").await, 0);
    assert_eq!(search_total(&app, &clerk, "Streuobstwiese").await, 1);
    let reply = app
        .get(&format!("/dokumente/{keep}/datei"), Some(&clerk))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = app
        .get(&format!("/dokumente/{gone}/datei"), Some(&clerk))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_worker_or_preview_finishing_after_the_trash_was_emptied_stores_nothing() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let png = samples::every_allowed_type()
        .into_iter()
        .find(|(name, _)| name.ends_with(".png"))
        .unwrap()
        .1;
    let id = app.upload_ok(&clerk, "Lageplan.png", &png).await;
    let sha = app::documents::blobs::sha256_hex(&png);
    // A worker has taken the job and is still extracting.
    let job = app::processing::service::claim_next(&app.state.pool, i64::MAX / 2)
        .await
        .unwrap()
        .expect("job");
    trash(&app, &clerk, id).await;
    let admin = app.login_demo("admin.erb").await;
    let reply = app.call(&admin, "empty_trash", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let outbox = app.count("SELECT COUNT(*) FROM search_outbox").await;

    // The worker comes back with its text: no error, nothing stored.
    let found = app::processing::storage::FoundText {
        text: "Lageplan".into(),
        pages: 1,
        ocr_pages: 1,
        method: "ocr".into(),
    };
    app::processing::service::complete(&app.state.pool, &job, &found, 1)
        .await
        .expect("a vanished job is no error");
    app::processing::service::fail(&app.state.pool, &job, "zu spät", true, 1)
        .await
        .expect("a vanished job is no error");
    assert_eq!(app.count("SELECT COUNT(*) FROM version_texts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM jobs").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM search_outbox").await,
        outbox,
        "nothing queued for the index"
    );

    // A preview rendered from the file just before it went is not cached.
    app.state
        .blobs
        .store_thumbnail(&sha, b"png")
        .await
        .expect("store");
    assert!(!app.state.blobs.thumbnail_path(&sha).exists());
    assert!(!app.state.blobs.path_of(&sha).exists());
}

#[tokio::test]
async fn a_practice_reset_works_again_and_again_when_a_guide_shares_a_file() {
    let app = TestApp::demo_with_background().await;
    let team = app.login_demo("projekt.mic").await;
    let reply = app
        .call(
            &team,
            "save_guide",
            "draft%5Bkind%5D=dienstanweisung&draft%5Btitle%5D=Scannen&draft%5Bsummary%5D=&draft%5Bscreens%5D%5B0%5D=posteingang",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let guide = reply.json().as_i64().unwrap();
    let pdf = samples::text_pdf(&["Dienstanweisung Scannen im Posteingang"]);
    let request = axum::http::Request::post(format!(
        "/dienstanweisungen/{guide}/pdf?name=DA-Scannen.pdf&hinweis=Neu"
    ))
    .header("host", "aktenwerk.test")
    .header("origin", common::ORIGIN)
    .header("cookie", &team)
    .body(axum::body::Body::from(pdf.clone()))
    .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    // The same PDF, uploaded to practise with.
    let reply = app.call(&team, "enter_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = app.upload_ok(&team, "DA-Scannen.pdf", &pdf).await;
    app.settled_text_state(id).await;
    for round in 1..=2 {
        let reply = app.call(&team, "reset_practice", "").await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "reset {round}: {}",
            reply.body
        );
    }
    let reply = app
        .get(&format!("/dokumente/{id}/datei"), Some(&team))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The guide keeps its file.
    let version: i64 = app
        .count(&format!(
            "SELECT id FROM guide_versions WHERE guide_id = {guide}"
        ))
        .await;
    let reply = app
        .get(
            &format!("/dienstanweisungen/versionen/{version}/datei"),
            Some(&team),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.bytes, pdf);
    let reply = app.call(&team, "leave_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_municipal_administration_sees_and_retries_only_its_own_processing() {
    let app = TestApp::demo_with_background().await;
    let mic_clerk = app.login_demo("sachbearbeitung.mic").await;
    let erb_clerk = app.login_demo("sachbearbeitung.erb").await;
    let mic = app
        .upload_ok(
            &mic_clerk,
            "Kaputt.pdf",
            b"%PDF-1.7\n\x00\x01garbage\xff\xfe%%EOF\n",
        )
        .await;
    let erb = app
        .upload_ok(
            &erb_clerk,
            "Defekt.pdf",
            b"%PDF-1.7\n\x00\x02anderer Unsinn\xff\xfe%%EOF\n",
        )
        .await;
    for id in [mic, erb] {
        assert!(
            matches!(app.settled_text_state(id).await, TextState::Failed { .. }),
            "document {id}"
        );
    }
    let documents = |reply: &common::Reply| -> Vec<(i64, String)> {
        reply.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["document_id"].as_i64().unwrap(),
                    e["municipality_code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let admin_erb = app.login_demo("admin.erb").await;
    let reply = app.call(&admin_erb, "processing_queue", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(documents(&reply), vec![(erb, "ERB".to_string())]);
    assert_eq!(reply.json()["counts"]["failed"], 1, "{}", reply.body);
    let admin_mic = app.login_demo("admin.mic").await;
    let reply = app.call(&admin_mic, "processing_queue", "").await;
    let mut all: Vec<i64> = documents(&reply).into_iter().map(|(id, _)| id).collect();
    all.sort_unstable();
    assert_eq!(all, vec![mic, erb], "{}", reply.body);
    assert_eq!(reply.json()["counts"]["failed"], 2, "{}", reply.body);

    let mic_job = format!(
        "SELECT COUNT(*) FROM jobs j JOIN document_versions v ON v.id = j.version_id
         WHERE v.document_id = {mic} AND j.status = 'failed' AND j.attempts = 1"
    );
    assert_eq!(app.count(&mic_job).await, 1);
    let reply = app.call(&admin_erb, "retry_failed_jobs", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, "1", "only Erbach's own failure");
    assert_eq!(
        app.count(&mic_job).await,
        1,
        "Michelstadt's job is untouched"
    );
}

#[tokio::test]
async fn only_an_all_municipality_administrator_verifies_the_store_one_run_at_a_time() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.mic").await;
    app.upload_ok(&clerk, "Original.pdf", &samples::pdf("Original"))
        .await;
    let admin_erb = app.login_demo("admin.erb").await;
    let reply = app.call(&admin_erb, "verify_store", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let admin_mic = app.login_demo("admin.mic").await;
    let reply = app.call(&admin_mic, "verify_store", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["checked"], 1);

    // While one verification runs, a second one is refused.
    let running = app
        .state
        .blobs
        .try_start_verification()
        .expect("nothing runs yet");
    let reply = app.call(&admin_mic, "verify_store", "").await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.body.contains("läuft bereits"), "{}", reply.body);
    drop(running);
    let reply = app.call(&admin_mic, "verify_store", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Two at once: at most one succeeds... and at least one does.
    let (first, second) = tokio::join!(
        app.call(&admin_mic, "verify_store", ""),
        app.call(&admin_mic, "verify_store", "")
    );
    let statuses = [first.status, second.status];
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'blobs_verified'")
            .await,
        2 + statuses.iter().filter(|s| **s == StatusCode::OK).count() as i64
    );
}

/// Every table that refers to documents, versions or blobs is one the
/// destruction knows: a new one must be added to the lists in
/// `app::documents::storage` (or emptying the trash breaks again).
#[tokio::test]
async fn every_table_referring_to_documents_versions_or_blobs_is_destroyed_with_them() {
    use app::documents::storage::{BLOB_REFERENCES, DOCUMENT_REFERENCES, VERSION_REFERENCES};
    let app = TestApp::demo().await;
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND f.\"table\" IN ('documents', 'document_versions', 'blobs')
         ORDER BY m.name",
    )
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    for (table, target) in &references {
        let known: &[&str] = match target.as_str() {
            "documents" => &DOCUMENT_REFERENCES,
            "document_versions" => &VERSION_REFERENCES,
            _ => &BLOB_REFERENCES,
        };
        assert!(
            known.contains(&table.as_str()),
            "{table} refers to {target} but is not destroyed with it"
        );
    }
    // And nothing listed is stale.
    for (list, target) in [
        (&DOCUMENT_REFERENCES[..], "documents"),
        (&VERSION_REFERENCES[..], "document_versions"),
        (&BLOB_REFERENCES[..], "blobs"),
    ] {
        for table in list {
            assert!(
                references.iter().any(|(t, to)| t == table && to == target),
                "{table} listed for {target} but has no such reference"
            );
        }
    }
}
