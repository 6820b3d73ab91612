//! Documents through the real router: upload, download, types, limits,
//! crash safety, duplicates, hostile names, permissions, versions, trash.

use crate::common;

use app::documents::blobs::Step;
use axum::http::{header, StatusCode};
use common::{samples, TestApp};

async fn clerk(app: &TestApp, username: &str) -> String {
    app.login_demo(username).await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM {table}")).await
}

#[tokio::test]
async fn every_allowed_type_round_trips_byte_for_byte() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.mic").await;
    for (name, bytes) in samples::every_allowed_type() {
        let id = app.upload_ok(&cookie, name, &bytes).await;
        let reply = app
            .get(&format!("/dokumente/{id}/datei"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{name}");
        assert_eq!(reply.bytes, bytes, "{name} changed on the way");
        let disposition = reply.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap_or("");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .is_ok_and(|csp| csp.contains("sandbox")));
    }
    assert_eq!(count(&app, "documents").await, 12);
    // Uploads and downloads are in the audit trail, with the address.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'document_uploaded'")
            .await,
        12
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'document_downloaded'")
            .await,
        12
    );
}

#[tokio::test]
async fn pdfs_are_shown_inline_other_types_never() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.mic").await;
    let pdf = app
        .upload_ok(&cookie, "Bescheid.pdf", &samples::pdf("Bescheid"))
        .await;
    let txt = app
        .upload_ok(
            &cookie,
            "Notiz.txt",
            b"Notiz: <b>kein HTML</b>, sondern Text",
        )
        .await;
    let reply = app
        .get(&format!("/dokumente/{pdf}/datei?ansicht=1"), Some(&cookie))
        .await;
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(reply.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .is_ok_and(|d| d.starts_with("inline;")));
    let reply = app
        .get(&format!("/dokumente/{txt}/datei?ansicht=1"), Some(&cookie))
        .await;
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/octet-stream"
    );
    assert!(reply.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .is_ok_and(|d| d.starts_with("attachment;")));
}

#[tokio::test]
async fn refused_types_and_lying_names_leave_nothing_behind() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.erb").await;
    let refused: [(&str, &[u8]); 6] = [
        ("Bild.gif", b"GIF89a\x01\0\x01\0\0\0\0;"),
        (
            "Seite.txt",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        ),
        ("Rechnung.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("Programm.exe", b"MZ\x90\0\x03\0\0\0"),
        ("Bild.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("Archiv.zip", &samples_plain_zip()),
    ];
    for (name, bytes) in refused {
        let reply = app.upload(&cookie, name, "", bytes).await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}: {}",
            reply.body
        );
        let message = reply.json()["message"].as_str().unwrap_or("").to_string();
        assert!(
            message.len() > 20 && !message.contains("Error"),
            "{name}: {message}"
        );
    }
    let reply = app
        .upload(&cookie, "Antrag.docx", "", &samples::zip_bomb_docx())
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        reply.body
    );
    assert_eq!(count(&app, "documents").await, 0);
    assert_eq!(count(&app, "blobs").await, 0);
    assert_eq!(app.blob_files(), Vec::<std::path::PathBuf>::new());
}

fn samples_plain_zip() -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("liesmich.txt", options).expect("entry");
    writer.write_all(b"Hallo").expect("write");
    writer.finish().expect("finish").into_inner()
}

#[tokio::test]
async fn a_body_over_the_limit_is_cut_off_with_413_and_leaves_nothing() {
    let app = TestApp::with(&[("AKTENWERK_DEMO", "true"), ("AKTENWERK_MAX_UPLOAD_MB", "1")]).await;
    let cookie = clerk(&app, "sachbearbeitung.obz").await;
    let mut big = samples::pdf("gross");
    big.resize(1024 * 1024 + 1, b' ');
    // Declared too large: refused before reading.
    let reply = app.upload(&cookie, "Plan.pdf", "", &big).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("größer als die erlaubten 1 MB")));
    // Not declared (chunked): cut off while streaming.
    let request = axum::http::Request::post("/dokumente/hochladen?name=Plan.pdf")
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, common::ORIGIN)
        .header(header::COOKIE, &cookie)
        .body(axum::body::Body::from_stream(futures_util::stream::iter(
            big.chunks(64 * 1024)
                .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                .collect::<Vec<_>>(),
        )))
        .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(count(&app, "documents").await, 0);
    assert_eq!(app.blob_files(), Vec::<std::path::PathBuf>::new());
    // Exactly at the limit is fine.
    big.truncate(1024 * 1024);
    app.upload_ok(&cookie, "Plan.pdf", &big).await;
}

#[tokio::test]
async fn a_crash_after_any_step_leaves_a_whole_document_or_nothing() {
    for step in [
        Step::TempWritten,
        Step::TempSynced,
        Step::Renamed,
        Step::DirSynced,
        Step::Committed,
    ] {
        let app = TestApp::demo().await;
        let cookie = clerk(&app, "sachbearbeitung.bro").await;
        let bytes = samples::pdf(&format!("Absturz nach {step:?}"));
        app.state.blobs.fail_after(Some(step));
        let reply = app.upload(&cookie, "Antrag.pdf", "", &bytes).await;
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{step:?}");
        app.state.blobs.fail_after(None);

        // What a restart does before serving.
        let recovery = app
            .state
            .blobs
            .recover(&app.state.pool)
            .await
            .expect("recover");
        assert!(recovery.missing.is_empty(), "{step:?}: {recovery:?}");
        let documents = count(&app, "documents").await;
        let files = app.blob_files();
        if step == Step::Committed {
            assert_eq!(documents, 1, "{step:?}");
            assert_eq!(files.len(), 1, "{step:?}: {files:?}");
            let id: i64 = sqlx::query_scalar("SELECT id FROM documents")
                .fetch_one(&app.state.pool)
                .await
                .expect("id");
            let reply = app
                .get(&format!("/dokumente/{id}/datei"), Some(&cookie))
                .await;
            assert_eq!(reply.bytes, bytes);
        } else {
            assert_eq!(documents, 0, "{step:?}");
            assert_eq!(count(&app, "blobs").await, 0, "{step:?}");
            assert_eq!(
                files,
                Vec::<std::path::PathBuf>::new(),
                "{step:?}: orphan left"
            );
        }
    }
}

#[tokio::test]
async fn the_same_content_is_stored_once_and_duplicates_are_named_only_at_home() {
    let app = std::sync::Arc::new(TestApp::demo().await);
    let mic = clerk(&app, "sachbearbeitung.mic").await;
    let erb = clerk(&app, "sachbearbeitung.erb").await;
    let bytes = samples::pdf("Kreisumlage 2027");

    let mut tasks = Vec::new();
    for i in 0..6 {
        let app = app.clone();
        let cookie = if i % 2 == 0 { mic.clone() } else { erb.clone() };
        let bytes = bytes.clone();
        tasks.push(tokio::spawn(async move {
            app.upload(&cookie, &format!("Umlage-{i}.pdf"), "", &bytes)
                .await
        }));
    }
    let mut created = 0;
    let mut duplicates = 0;
    for task in tasks {
        let reply = task.await.expect("task");
        match reply.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                duplicates += 1;
                assert!(reply.json()["existing_id"].is_i64());
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    // One document per municipality, the others told where it is.
    assert_eq!((created, duplicates), (2, 4));
    assert_eq!(count(&app, "blobs").await, 1);
    assert_eq!(app.blob_files().len(), 1);

    // Brombachtal uploading the same content learns nothing about the others.
    let bro = clerk(&app, "sachbearbeitung.bro").await;
    let reply = app.upload(&bro, "Umlage.pdf", "", &bytes).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(!reply.body.contains("bereits"));
}

#[tokio::test]
async fn hostile_file_names_are_stored_and_served_safely() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.mic").await;
    let long = format!("{}.txt", "a".repeat(300));
    let names = [
        "../../etc/passwd.txt",
        "..\\..\\windows\\win.ini.txt",
        "nul\0byte.txt",
        "rechnung\u{202E}txt.exe",
        long.as_str(),
        "B\u{00FC}rgerb\u{00FC}ro.txt",
        "Bu\u{0308}rgerbu\u{0308}ro.txt",
        "\"Zitat\" und 'Apostroph'.txt",
        "Zeile\r\nSet-Cookie: x=1.txt",
    ];
    let mut stored = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let body = format!("Inhalt {i}");
        let reply = app.upload(&cookie, name, "", body.as_bytes()).await;
        if name.contains('\u{202E}') {
            // With the override removed the name ends in .exe: refused.
            assert_eq!(
                reply.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{}",
                reply.body
            );
            continue;
        }
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{name:?}: {}",
            reply.body
        );
        let id = reply.json()["id"].as_i64().expect("id");
        let file_name: String =
            sqlx::query_scalar("SELECT file_name FROM document_versions WHERE document_id = ?")
                .bind(id)
                .fetch_one(&app.state.pool)
                .await
                .expect("name");
        assert!(
            !file_name.contains(['/', '\\', '\0', '\r', '\n']),
            "{file_name:?}"
        );
        assert!(file_name.chars().count() <= 200, "{file_name:?}");
        let reply = app
            .get(&format!("/dokumente/{id}/datei"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.bytes, body.as_bytes());
        let disposition = reply.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii header");
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert!(reply.headers.get(header::SET_COOKIE).is_none());
        stored.push(file_name);
    }
    assert_eq!(stored[0], "passwd.txt");
    assert_eq!(stored[1], "win.ini.txt");
    // NFC and NFD spellings of "Bürgerbüro" end up as the same name.
    assert_eq!(stored[4], stored[5]);
    assert_eq!(stored[4], "B\u{00FC}rgerb\u{00FC}ro.txt");
}

#[tokio::test]
async fn other_municipalities_reach_nothing_unless_an_akte_is_shared() {
    let app = TestApp::demo().await;
    let mic = clerk(&app, "sachbearbeitung.mic").await;
    let erb = clerk(&app, "sachbearbeitung.erb").await;
    let id = app
        .upload_ok(&mic, "Vertrag.pdf", &samples::pdf("Vertrag"))
        .await;

    let denied = [
        app.get(&format!("/dokumente/{id}/datei"), Some(&erb)).await,
        app.get(
            &format!("/dokumente/{id}/datei?version=1&ansicht=1"),
            Some(&erb),
        )
        .await,
        app.call(&erb, "get_document", &format!("id={id}")).await,
        app.upload(
            &erb,
            "Vertrag-v2.pdf",
            &format!("&dokument={id}"),
            &samples::pdf("v2"),
        )
        .await,
        app.call(
            &erb,
            "bulk_documents",
            &format!("ids[0]={id}&action=trash&value="),
        )
        .await,
        app.call(
            &erb,
            "restore_document_version",
            &format!("id={id}&number=1"),
        )
        .await,
    ];
    for reply in denied {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert!(!reply.body.contains("Vertrag"), "{}", reply.body);
    }
    // The project team and administration do not read documents at all;
    // trainees only those of their practice area (tests/practice.rs).
    for user in ["projekt.mic", "admin.mic"] {
        let cookie = clerk(&app, user).await;
        let reply = app
            .get(&format!("/dokumente/{id}/datei"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{user}");
        let reply = app.upload(&cookie, "x.pdf", "", &samples::pdf(user)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{user}");
    }

    // Filed into an Akte shared with Erbach: readable there, not changeable.
    let akte = app
        .open_akte(&mic, "621.1", "Bauantrag Musterstraße 1", "2026-11-02")
        .await;
    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={id}&action=file&value={akte}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let erb_id: i64 = sqlx::query_scalar("SELECT id FROM municipalities WHERE code = 'ERB'")
        .fetch_one(&app.state.pool)
        .await
        .expect("erb");
    let reply = app
        .call(
            &mic,
            "share_akte",
            &format!("id={akte}&municipality_id={erb_id}&shared=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app.get(&format!("/dokumente/{id}/datei"), Some(&erb)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = app.call(&erb, "get_document", &format!("id={id}")).await;
    assert_eq!(reply.json()["may_edit"], false);
    let reply = app
        .upload(
            &erb,
            "Vertrag-v2.pdf",
            &format!("&dokument={id}"),
            &samples::pdf("v2"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn versions_are_added_and_restored_without_rewriting_history() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.obz").await;
    let first = samples::pdf("Entwurf");
    let second = samples::pdf("Endfassung");
    let id = app.upload_ok(&cookie, "Satzung.pdf", &first).await;
    let reply = app
        .upload(
            &cookie,
            "Satzung-final.pdf",
            &format!("&dokument={id}"),
            &second,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["version"], 2);
    let latest = app
        .get(&format!("/dokumente/{id}/datei"), Some(&cookie))
        .await;
    assert_eq!(latest.bytes, second);

    let reply = app
        .call(
            &cookie,
            "restore_document_version",
            &format!("id={id}&number=1"),
        )
        .await;
    assert_eq!(reply.body, "3");
    let latest = app
        .get(&format!("/dokumente/{id}/datei"), Some(&cookie))
        .await;
    assert_eq!(latest.bytes, first);
    let old = app
        .get(&format!("/dokumente/{id}/datei?version=2"), Some(&cookie))
        .await;
    assert_eq!(old.bytes, second);
    let detail = app
        .call(&cookie, "get_document", &format!("id={id}"))
        .await
        .json();
    let numbers: Vec<i64> = detail["versions"]
        .as_array()
        .map(|v| v.iter().filter_map(|v| v["number"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(numbers, [3, 2, 1]);
    assert!(detail["versions"][0]["note"]
        .as_str()
        .is_some_and(|n| n.contains("Version 1")));
    // The database itself refuses to rewrite a version.
    let rewrite = sqlx::query("UPDATE document_versions SET sha256 = sha256 WHERE document_id = ?")
        .bind(id)
        .execute(&app.state.pool)
        .await;
    assert!(rewrite.is_err());
}

#[tokio::test]
async fn a_changed_blob_is_found_by_verify_and_never_delivered() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.mic").await;
    let bytes = samples::pdf("Original");
    let id = app.upload_ok(&cookie, "Original.pdf", &bytes).await;
    let report = app
        .state
        .blobs
        .verify_all(&app.state.pool)
        .await
        .expect("verify");
    assert_eq!((report.checked, report.problems.len()), (1, 0));

    let file = app.blob_files().pop().expect("blob");
    let mut forged = bytes.clone();
    forged[20] ^= 1;
    std::fs::write(&file, &forged).expect("tamper");
    let report = app
        .state
        .blobs
        .verify_all(&app.state.pool)
        .await
        .expect("verify");
    assert!(matches!(
        report.problems.as_slice(),
        [app::documents::blobs::BlobProblem::Changed { .. }]
    ));
    // The admin page says the same, and only administrators may ask.
    let admin = clerk(&app, "admin.mic").await;
    let reply = app.call(&admin, "verify_store", "").await;
    assert_eq!(reply.json()["checked"], 1, "{}", reply.body);
    assert!(reply.json()["problems"][0]
        .as_str()
        .is_some_and(|p| p.contains("verändert")));
    assert_eq!(
        app.call(&cookie, "verify_store", "").await.status,
        StatusCode::FORBIDDEN
    );
    // The download breaks off instead of handing out the forged bytes.
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::get(format!("/dokumente/{id}/datei"))
        .header(header::HOST, "aktenwerk.test")
        .header(header::COOKIE, &cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("response");
    assert!(response.into_body().collect().await.is_err());
}

#[tokio::test]
async fn trash_is_restorable_and_only_the_administration_empties_it() {
    let app = TestApp::demo().await;
    let clerk_cookie = clerk(&app, "sachbearbeitung.erb").await;
    let keep = app
        .upload_ok(&clerk_cookie, "Behalten.pdf", &samples::pdf("behalten"))
        .await;
    let gone = app
        .upload_ok(&clerk_cookie, "Weg.pdf", &samples::pdf("weg"))
        .await;
    let reply = app
        .call(
            &clerk_cookie,
            "bulk_documents",
            &format!("ids[0]={keep}&ids[1]={gone}&action=trash&value="),
        )
        .await;
    assert_eq!(reply.body, "2");
    let inbox = app.call(&clerk_cookie, "load_inbox", "").await.json();
    assert_eq!(inbox.as_array().map(Vec::len), Some(0));
    let reply = app
        .call(
            &clerk_cookie,
            "bulk_documents",
            &format!("ids[0]={keep}&action=untrash&value="),
        )
        .await;
    assert_eq!(reply.body, "1");

    let reply = app.call(&clerk_cookie, "empty_trash", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let admin = clerk(&app, "admin.erb").await;
    let trash = app.call(&admin, "list_trash", "").await.json();
    assert_eq!(trash.as_array().map(Vec::len), Some(1));
    let reply = app.call(&admin, "empty_trash", "").await;
    assert_eq!(reply.body, "1", "{}", reply.body);
    assert_eq!(count(&app, "documents").await, 1);
    assert_eq!(
        app.blob_files().len(),
        1,
        "the emptied document's file is gone"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'trash_emptied'")
            .await,
        1
    );
    let reply = app
        .get(&format!("/dokumente/{keep}/datei"), Some(&clerk_cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

#[tokio::test]
async fn image_previews_are_small_cached_and_only_for_those_who_may_see() {
    let app = TestApp::demo().await;
    let mic = clerk(&app, "sachbearbeitung.mic").await;
    let photo = app
        .upload_ok(
            &mic,
            "Ortstermin.png",
            &encoded(2000, 1000, image::ImageFormat::Png),
        )
        .await;
    let scan = app
        .upload_ok(
            &mic,
            "Scan.tif",
            &encoded(800, 1200, image::ImageFormat::Tiff),
        )
        .await;
    let pdf = app
        .upload_ok(&mic, "Brief.pdf", &samples::pdf("Brief"))
        .await;

    for (id, expected) in [(photo, (480, 240)), (scan, (320, 480))] {
        let reply = app
            .get(&format!("/dokumente/{id}/vorschaubild"), Some(&mic))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.headers[header::CONTENT_TYPE], "image/png");
        let preview = image::load_from_memory(&reply.bytes).expect("png");
        assert_eq!((preview.width(), preview.height()), expected);
    }
    // Made once, then served from the cache.
    assert_eq!(
        app.blob_files()
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .count(),
        2
    );
    let reply = app
        .get(&format!("/dokumente/{pdf}/vorschaubild"), Some(&mic))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    let erb = clerk(&app, "sachbearbeitung.erb").await;
    let reply = app
        .get(&format!("/dokumente/{photo}/vorschaubild"), Some(&erb))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Previews are no orphans for the start-up recovery.
    let recovery = app
        .state
        .blobs
        .recover(&app.state.pool)
        .await
        .expect("recover");
    assert_eq!(recovery.orphans_removed, 0);
}

fn maintenance(app: &TestApp, command: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aktenwerk"))
        .arg(command)
        .env_clear()
        .env("AKTENWERK_DATA_DIR", app.dir.path())
        .output()
        .expect("run aktenwerk");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_maintenance_commands_find_an_edited_audit_entry_and_a_changed_file() {
    let app = TestApp::demo().await;
    let cookie = clerk(&app, "sachbearbeitung.obz").await;
    let id = app
        .upload_ok(&cookie, "Satzung.pdf", &samples::pdf("Satzung"))
        .await;
    app.get(&format!("/dokumente/{id}/datei"), Some(&cookie))
        .await;

    let (ok, out) = maintenance(&app, "verify");
    assert!(ok, "{out}");
    assert!(out.contains("1 Dateien geprüft"), "{out}");
    let (ok, out) = maintenance(&app, "verify-audit");
    assert!(ok, "{out}");

    // Someone with database access rewrites who uploaded the document.
    for sql in [
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor_name = 'Niemand' WHERE action = 'document_uploaded'",
    ] {
        sqlx::query(sql)
            .execute(&app.state.pool)
            .await
            .expect("tamper");
    }
    let (ok, out) = maintenance(&app, "verify-audit");
    assert!(!ok, "{out}");
    assert!(out.contains("PROTOKOLL VERLETZT"), "{out}");

    let file = app
        .blob_files()
        .into_iter()
        .find(|p| p.extension().is_none())
        .expect("blob");
    std::fs::write(&file, b"%PDF-1.4 anders").expect("tamper");
    let (ok, out) = maintenance(&app, "verify");
    assert!(!ok, "{out}");
    assert!(out.contains("verändert"), "{out}");
}

#[tokio::test]
async fn the_owner_sees_who_did_what_with_a_document() {
    let app = TestApp::demo().await;
    let mic = clerk(&app, "sachbearbeitung.mic").await;
    let id = app
        .upload_ok(&mic, "Vermerk.pdf", &samples::pdf("Vermerk"))
        .await;
    app.get(&format!("/dokumente/{id}/datei"), Some(&mic)).await;
    let history = app
        .call(&mic, "document_history", &format!("id={id}"))
        .await
        .json();
    let what: Vec<&str> = history
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["what"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(what, ["Dokument heruntergeladen", "Dokument hochgeladen"]);
    let erb = clerk(&app, "sachbearbeitung.erb").await;
    let reply = app
        .call(&erb, "document_history", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Administrators filter the full log by document.
    let admin = clerk(&app, "admin.mic").await;
    let log = app
        .call(&admin, "list_audit", &format!("document={id}"))
        .await
        .json();
    assert_eq!(log.as_array().map(Vec::len), Some(2), "{log}");
}

#[tokio::test]
async fn bulk_actions_tag_and_retype_all_or_nothing() {
    let app = TestApp::demo().await;
    let mic = clerk(&app, "sachbearbeitung.mic").await;
    let erb = clerk(&app, "sachbearbeitung.erb").await;
    let a = app
        .upload_ok(&mic, "Rechnung-1.pdf", &samples::pdf("R1"))
        .await;
    let b = app
        .upload_ok(&mic, "Rechnung-2.pdf", &samples::pdf("R2"))
        .await;
    let foreign = app
        .upload_ok(&erb, "Fremd.pdf", &samples::pdf("Fremd"))
        .await;

    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={a}&ids[1]={b}&action=tag&value=Haushalt 2027"),
        )
        .await;
    assert_eq!(reply.body, "2", "{}", reply.body);
    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={a}&ids[1]={b}&action=type&value=rechnung"),
        )
        .await;
    assert_eq!(reply.body, "2");
    for id in [a, b] {
        let doc = app
            .call(&mic, "get_document", &format!("id={id}"))
            .await
            .json();
        assert_eq!(doc["summary"]["doc_type"], "Rechnung");
        assert_eq!(doc["summary"]["tags"], serde_json::json!(["Haushalt 2027"]));
    }
    // One foreign id in the set: nothing changes at all.
    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={a}&ids[1]={foreign}&action=type&value=vertrag"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let doc = app
        .call(&mic, "get_document", &format!("id={a}"))
        .await
        .json();
    assert_eq!(doc["summary"]["doc_type"], "Rechnung");
    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={a}&action=type&value=brief"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every kind the upload accepts is one extraction knows, and back: a kind
/// added on one side only fails here (the match below also stops compiling
/// when `extract::Kind` gains a variant).
#[test]
fn accepted_file_kinds_and_extraction_kinds_are_the_same_list() {
    use app::documents::kinds::{FileKind, KINDS};
    fn accepted(kind: extract::Kind) -> FileKind {
        match kind {
            extract::Kind::Pdf => FileKind::Pdf,
            extract::Kind::Tiff => FileKind::Tiff,
            extract::Kind::Png => FileKind::Png,
            extract::Kind::Jpeg => FileKind::Jpeg,
            extract::Kind::Docx => FileKind::Docx,
            extract::Kind::Xlsx => FileKind::Xlsx,
            extract::Kind::Pptx => FileKind::Pptx,
            extract::Kind::Odt => FileKind::Odt,
            extract::Kind::Ods => FileKind::Ods,
            extract::Kind::Txt => FileKind::Txt,
            extract::Kind::Csv => FileKind::Csv,
            extract::Kind::Eml => FileKind::Eml,
            extract::Kind::Msg => FileKind::Msg,
        }
    }
    assert_eq!(KINDS.len(), extract::Kind::ALL.len());
    for row in KINDS {
        let kind = extract::Kind::parse(row.key)
            .unwrap_or_else(|| panic!("extraction does not know {}", row.key));
        assert_eq!(accepted(kind), row.kind, "{}", row.key);
        assert_eq!(kind.as_str(), row.kind.as_str());
    }
    for kind in extract::Kind::ALL {
        assert_eq!(
            FileKind::parse(kind.as_str()),
            Some(accepted(kind)),
            "the upload does not accept {}",
            kind.as_str()
        );
    }
}
