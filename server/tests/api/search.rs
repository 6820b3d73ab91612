//! Issue 5 end to end on the real server: upload → extraction job in the
//! real child process → stored text → index → search with permissions.
#![allow(clippy::unwrap_used)]

use crate::common;

use app::processing::TextState;
use axum::http::StatusCode;
use common::{samples, TestApp};

/// Searches through the real server function; returns the JSON answer.
async fn search(app: &TestApp, cookie: &str, q: &str, extra: &str) -> serde_json::Value {
    let form = format!(
        "params[q]={}&params[sort]=Relevance&params[page]=1{extra}",
        urlencode(q)
    );
    let reply = app.call(cookie, "search_documents", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_string()
}

fn hit_ids(answer: &serde_json::Value) -> Vec<i64> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["document_id"].as_i64().unwrap())
        .collect()
}

/// Waits (up to 10 s) until the index answers `q` with `expected` hits.
async fn wait_for_hits(app: &TestApp, cookie: &str, q: &str, expected: u64) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let answer = search(app, cookie, q, "").await;
        if answer["total"].as_u64() == Some(expected) {
            return answer;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "search {q:?} still answers {answer}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn uploaded_text_becomes_searchable_in_german() {
    let app = TestApp::demo_with_background().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let pdf = app
        .upload_ok(
            &mic,
            "Bescheid.pdf",
            &samples::text_pdf(&[
                "Bescheid über den Straßenausbaubeitrag",
                "Grundstück Musterstraße 5, 64720 Michelstadt",
            ]),
        )
        .await;
    let txt = app
        .upload_ok(
            &mic,
            "Notiz.txt",
            "Rückruf im Bürgerbüro wegen der Bauanträge Lindenweg".as_bytes(),
        )
        .await;
    let started = std::time::Instant::now();
    for id in [pdf, txt] {
        match app.settled_text_state(id).await {
            TextState::Searchable { pages, .. } => assert!(pages >= 1, "document {id}"),
            other => panic!("document {id}: {other:?}"),
        }
    }
    // Folding (ss ↔ ß), stemming (Bauantrag ↔ Bauanträge), compound in text.
    let answer = wait_for_hits(&app, &mic, "Strassenausbaubeitrag", 1).await;
    assert_eq!(hit_ids(&answer), vec![pdf]);
    let answer = wait_for_hits(&app, &mic, "Bauantrag", 1).await;
    assert_eq!(hit_ids(&answer), vec![txt]);
    eprintln!(
        "two uploads searchable after {} ms",
        started.elapsed().as_millis()
    );
    // The snippet marks the word that matched.
    let marked: Vec<String> = answer["hits"][0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["marked"].as_bool() == Some(true))
        .map(|f| f["text"].as_str().unwrap().to_string())
        .collect();
    assert!(
        marked.iter().any(|m| m.starts_with("Bauantr")),
        "{marked:?}"
    );
    // The found text is on the document for people, too.
    let reply = app
        .call(&mic, "document_found_text", &format!("id={pdf}"))
        .await;
    assert!(
        reply.body.contains("Straßenausbaubeitrag"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn another_municipality_finds_nothing_not_even_counts_or_suggestions() {
    let app = TestApp::demo_with_background().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let secret = app
        .upload_ok(
            &mic,
            "Vermerk.txt",
            "Vertraulich: Zwangsversteigerung Hofgut Eulbach".as_bytes(),
        )
        .await;
    assert!(matches!(
        app.settled_text_state(secret).await,
        TextState::Searchable { .. }
    ));
    wait_for_hits(&app, &mic, "Zwangsversteigerung", 1).await;

    let answer = search(&app, &erb, "Zwangsversteigerung", "").await;
    assert_eq!(answer["total"], 0);
    assert!(answer["hits"].as_array().unwrap().is_empty());
    for facet in [
        "main_group",
        "doc_type",
        "year",
        "akte_status",
        "municipality",
    ] {
        assert!(
            answer["facets"][facet].as_array().unwrap().is_empty(),
            "{facet}: {answer}"
        );
    }
    // Even an empty query with filters lists nothing of Michelstadt.
    let answer = search(&app, &erb, "", "&params[doc_type]=eingang").await;
    assert_eq!(answer["total"], 0, "{answer}");
    // Suggestions complete titles: Michelstadt gets its Vermerk, Erbach nothing.
    let reply = app.call(&erb, "suggest_documents", "prefix=Vermer").await;
    assert_eq!(reply.json(), serde_json::json!([]));
    let reply = app.call(&mic, "suggest_documents", "prefix=Vermer").await;
    assert_eq!(reply.json()[0]["document_id"], secret, "{}", reply.body);
    // The found text cannot be fetched by guessing the id either.
    let reply = app
        .call(&erb, "document_found_text", &format!("id={secret}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // Sharing the Akte makes it visible to Erbach, through the same query.
    let akte = app
        .open_akte(&mic, "621.1", "Hofgut Eulbach", "2026-01-05")
        .await;
    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={secret}&action=file&value={akte}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let erb_id: i64 = sqlx::query_scalar("SELECT id FROM municipalities WHERE code = 'ERB'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let reply = app
        .call(
            &mic,
            "share_akte",
            &format!("id={akte}&municipality_id={erb_id}&shared=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = wait_for_hits(&app, &erb, "Zwangsversteigerung", 1).await;
    assert_eq!(hit_ids(&answer), vec![secret]);
}

#[tokio::test]
async fn people_without_case_documents_cannot_search() {
    let app = TestApp::demo().await;
    // Trainees search their practice area (see tests/practice.rs).
    for user in ["projekt.mic", "admin.mic"] {
        let cookie = app.login_demo(user).await;
        let reply = app
            .call(
                &cookie,
                "search_documents",
                "params[q]=Bauantrag&params[sort]=Relevance&params[page]=1",
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{user}");
    }
    let clerk = app.login_demo("sachbearbeitung.mic").await;
    let long = "a".repeat(201);
    let reply = app
        .call(
            &clerk,
            "search_documents",
            &format!("params[q]={long}&params[sort]=Relevance&params[page]=1"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("höchstens 200 Zeichen"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn hostile_files_fail_with_a_reason_while_the_server_answers() {
    let app = TestApp::demo_with_background().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    // A file that only starts like a PDF.
    let junk = app
        .upload_ok(
            &mic,
            "Kaputt.pdf",
            b"%PDF-1.7\n\x00\x01garbage\xff\xfe%%EOF\n",
        )
        .await;
    // A PNG header announcing 100,000 x 100,000 pixels (a pixel flood).
    let mut flood = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    flood.extend_from_slice(&100_000u32.to_be_bytes());
    flood.extend_from_slice(&100_000u32.to_be_bytes());
    flood.extend_from_slice(b"\x08\x00\x00\x00\x00\0\0\0\0IEND\xaeB`\x82");
    let png = app.upload_ok(&mic, "Riesenbild.png", &flood).await;
    // 256 MiB of zeros behind headers that claim 900 KiB.
    let bomb = app
        .upload_ok(&mic, "Bombe.docx", &samples::lying_zip_bomb_docx(256 << 20))
        .await;
    // A page tree that contains itself: poppler notices the loop.
    let looping = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\n\
        trailer << /Root 1 0 R >>\n%%EOF\n";
    let looped = app.upload_ok(&mic, "Schleife.pdf", looping).await;
    let started = std::time::Instant::now();
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    for id in [junk, png, bomb] {
        match app.settled_text_state(id).await {
            TextState::Failed { reason } => {
                assert!(!reason.is_empty(), "document {id}");
                eprintln!("document {id} failed as expected: {reason}");
            }
            other => panic!("document {id}: {other:?}"),
        }
    }
    // The loop ends, one way or the other, without anyone waiting for ever.
    let state = app.settled_text_state(looped).await;
    eprintln!(
        "loop PDF settled as {state:?}; all four after {} ms",
        started.elapsed().as_millis()
    );
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    // The administration sees the failures on the queue page, without titles.
    let admin = app.login_demo("admin.mic").await;
    let reply = app.call(&admin, "processing_queue", "").await;
    assert!(
        reply.json()["counts"]["failed"].as_i64().unwrap() >= 3,
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("Bombe"), "{}", reply.body);
    let reply = app.call(&mic, "processing_queue", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_restart_during_processing_resumes_the_job() {
    let app = TestApp::demo().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let id = app
        .upload_ok(
            &mic,
            "Protokoll.txt",
            "Sitzung der Gemeindevertretung".as_bytes(),
        )
        .await;
    // A worker took the job, then the server stopped.
    let claimed = app::processing::service::claim_next(&app.state.pool, i64::MAX / 2)
        .await
        .unwrap()
        .expect("job");
    assert_eq!(
        app::processing::storage::text_state(&app.state.pool, id)
            .await
            .unwrap(),
        TextState::Running
    );
    let app = app.restart().await;
    let (status, attempts): (String, i64) =
        sqlx::query_as("SELECT status, attempts FROM jobs WHERE id = ?")
            .bind(claimed.job_id)
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 0));
    app.start_background();
    assert!(matches!(
        app.settled_text_state(id).await,
        TextState::Searchable { .. }
    ));
    let mic = app.login_demo("sachbearbeitung.mic").await;
    wait_for_hits(&app, &mic, "Gemeindevertretung", 1).await;
}

#[tokio::test]
async fn a_corrupt_index_is_rebuilt_from_the_database() {
    let app = TestApp::demo_with_background().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let id = app
        .upload_ok(
            &mic,
            "Rechnung.txt",
            "Rechnung der Stadtwerke Erbach".as_bytes(),
        )
        .await;
    assert!(matches!(
        app.settled_text_state(id).await,
        TextState::Searchable { .. }
    ));
    wait_for_hits(&app, &mic, "Stadtwerke", 1).await;
    // Garbage over every file of the index.
    let index_dir = app.dir.path().join("search");
    for entry in std::fs::read_dir(&index_dir).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::write(entry.path(), b"kaputt").unwrap();
        }
    }
    let app = app.restart().await;
    app.start_background();
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let answer = wait_for_hits(&app, &mic, "Stadtwerke", 1).await;
    assert_eq!(hit_ids(&answer), vec![id]);
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 1);
}

#[tokio::test]
async fn reprocess_queues_the_document_again() {
    let app = TestApp::demo_with_background().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let id = app
        .upload_ok(&mic, "Brief.txt", "Anfrage zur Grundsteuer".as_bytes())
        .await;
    app.settled_text_state(id).await;
    let reply = app
        .call(&mic, "reprocess_document", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM jobs j JOIN document_versions v ON v.id = j.version_id WHERE v.document_id = {id}"
        ))
        .await,
        2
    );
    assert!(matches!(
        app.settled_text_state(id).await,
        TextState::Searchable { .. }
    ));
    // Another municipality cannot, and gets the same answer as for an unknown id.
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .call(&erb, "reprocess_document", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_reindex_command_rebuilds_from_the_database() {
    let app = TestApp::demo_with_background().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    for (name, text) in [
        ("Eins.txt", "Friedhofsgebühren Steinbach"),
        ("Zwei.txt", "Friedhofsgebühren Vielbrunn"),
    ] {
        let id = app.upload_ok(&mic, name, text.as_bytes()).await;
        app.settled_text_state(id).await;
    }
    wait_for_hits(&app, &mic, "Friedhofsgebühren", 2).await;
    // The command needs the index to itself, as with a stopped server.
    let dir = app.shut_down().await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aktenwerk"))
        .arg("reindex")
        .env("AKTENWERK_DATA_DIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("2 Dokumente"), "{stdout}");
}

#[tokio::test]
async fn search_narrows_to_a_vorgang_and_counts_the_vorgaenge_of_the_hits() {
    let app = TestApp::demo_with_background().await;
    let clerk = app.login_demo("sachbearbeitung.obz").await;
    let akte = app
        .open_akte(&clerk, "621.1", "Bauantrag Köhler", "2026-12-01")
        .await;
    let reply = app
        .call(
            &clerk,
            "open_vorgang",
            &format!("akte_id={akte}&title=Nachforderung%20Brandschutz&opened_on=2026-12-02"),
        )
        .await;
    let vorgang = reply.json()["id"].as_i64().unwrap();
    let reply = app
        .upload(
            &clerk,
            "Brandschutzkonzept.txt",
            &format!("&vorgang={vorgang}"),
            "Brandschutzkonzept für das Wohnhaus".as_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let inside = reply.json()["id"].as_i64().unwrap();
    let outside = app
        .upload_ok(
            &clerk,
            "Brandschutz_Merkblatt.txt",
            "Merkblatt Brandschutz".as_bytes(),
        )
        .await;
    let all = wait_for_hits(&app, &clerk, "Brandschutz", 2).await;
    let facet = all["facets"]["vorgang"].as_array().unwrap();
    assert_eq!(facet.len(), 1, "{all}");
    assert_eq!(facet[0]["key"], vorgang.to_string());
    assert_eq!(facet[0]["count"], 1);
    assert_eq!(
        facet[0]["label"],
        "OBZ 621.1-0001/1 Nachforderung Brandschutz"
    );
    let within = search(
        &app,
        &clerk,
        "Brandschutz",
        &format!("&params[vorgang]={vorgang}"),
    )
    .await;
    assert_eq!(hit_ids(&within), [inside], "{within}");
    assert!(!hit_ids(&all).is_empty() && hit_ids(&all).contains(&outside));
    // By its Zeichen, like an Akte by its Aktenzeichen.
    let by_zeichen = search(&app, &clerk, "OBZ 621.1-0001/1", "").await;
    assert_eq!(hit_ids(&by_zeichen).first(), Some(&inside), "{by_zeichen}");
    // Another municipality neither finds nor counts it.
    let other = app.login_demo("sachbearbeitung.mic").await;
    let foreign = search(
        &app,
        &other,
        "Brandschutz",
        &format!("&params[vorgang]={vorgang}"),
    )
    .await;
    assert_eq!(foreign["total"], 0, "{foreign}");
}
