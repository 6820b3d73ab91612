//! Filing suggestions: learned from what the municipality filed, explained
//! in German, never from another municipality's documents, plan positions
//! when nothing is filed yet, kept once shown, and filing by one click.

use crate::common::TestApp;
use axum::http::StatusCode;

/// Waits until every extraction job ended and the index has every change.
async fn settled(app: &TestApp) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let open = app
            .count(
                "SELECT (SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'running'))
                      + (SELECT COUNT(*) FROM search_outbox)",
            )
            .await;
        if open == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "processing did not settle"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Uploads a text into the Akte `akte` (or the Posteingang); its id.
async fn letter(app: &TestApp, cookie: &str, name: &str, text: &str, akte: Option<i64>) -> i64 {
    let extra = akte.map(|a| format!("&akte={a}")).unwrap_or_default();
    let reply = app.upload(cookie, name, &extra, text.as_bytes()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_i64().expect("id")
}

async fn suggestions(app: &TestApp, cookie: &str, document: i64) -> Vec<serde_json::Value> {
    app.call_ok(
        cookie,
        "ablage_vorschlaege",
        &format!("document_id={document}"),
    )
    .await
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[tokio::test]
async fn a_new_letter_is_suggested_the_akte_its_like_lie_in_and_filed_with_one_click() {
    let app = TestApp::demo_with_background().await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let bau = app
        .open_akte(&erbach, "621.1", "Garage Lindenweg", "2026-11-02")
        .await;
    let hund = app
        .open_akte(&erbach, "922", "Hundesteuer 2026", "2026-11-02")
        .await;
    for n in 1..=3 {
        letter(&app, &erbach, &format!("Bau-{n}.txt"),
            &format!("Bauantrag für den Neubau einer Garage auf dem Flurstück {n}, Bauvorlagen und Lageplan anbei. Schreiben {n}."),
            Some(bau)).await;
        letter(
            &app,
            &erbach,
            &format!("Hund-{n}.txt"),
            &format!(
                "Anmeldung eines Hundes zur Hundesteuer, Hundemarke bitte zusenden. Schreiben {n}."
            ),
            Some(hund),
        )
        .await;
    }
    // Michelstadt files letters about garages too: never suggested to Erbach.
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let fremd = app
        .open_akte(&michelstadt, "621.1", "Garagenhof", "2026-11-02")
        .await;
    for n in 1..=4 {
        letter(
            &app,
            &michelstadt,
            &format!("Fremd-{n}.txt"),
            &format!("Bauantrag Neubau Garage Flurstück Lageplan Bauvorlagen Michelstadt {n}."),
            Some(fremd),
        )
        .await;
    }
    let new = letter(&app, &erbach, "Eingang.txt",
        "Sehr geehrte Damen und Herren, anbei unser Bauantrag für eine Garage auf dem Flurstück 7 mit Lageplan.",
        None).await;
    settled(&app).await;

    let shown = suggestions(&app, &erbach, new).await;
    assert!(!shown.is_empty(), "a suggestion");
    assert_eq!(shown[0]["akte_id"], bau, "{shown:?}");
    assert!(shown.iter().all(|s| s["akte_id"] != fremd), "{shown:?}");
    let reason = shown[0]["erklaerung"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("ähnlich wie 3 Dokumente in ERB 621.1-"),
        "{reason}"
    );
    assert!(reason.contains("Wörter: "), "{reason}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM ablagevorschlaege WHERE document_id = {new}"
        ))
        .await,
        shown.len() as i64,
        "kept as shown"
    );
    assert_eq!(
        suggestions(&app, &erbach, new).await,
        shown,
        "the same when asked again"
    );

    // A letter quoting an Aktenzeichen belongs there, whatever it is about.
    let zeichen: String = sqlx::query_scalar("SELECT aktenzeichen FROM akten WHERE id = ?")
        .bind(hund)
        .fetch_one(&app.state.pool)
        .await
        .expect("Aktenzeichen");
    let reply = letter(&app, &erbach, "Antwort.txt",
        &format!("Ihr Zeichen: {zeichen}. Zum Bauantrag für die Garage auf dem Flurstück 9 reichen wir den Lageplan nach."),
        None).await;
    settled(&app).await;
    let quoted = suggestions(&app, &erbach, reply).await;
    assert_eq!(quoted[0]["akte_id"], hund, "{quoted:?}");
    assert_eq!(
        quoted[0]["erklaerung"].as_str().unwrap_or_default(),
        format!("nennt das Aktenzeichen {zeichen}")
    );
    assert_eq!(
        quoted[1]["akte_id"], bau,
        "the similar ones follow: {quoted:?}"
    );

    // One click: the document page's button files through bulk_documents.
    app.call_ok(
        &erbach,
        "bulk_documents",
        &format!("ids[0]={new}&action=file&value={bau}"),
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM documents WHERE id = {new} AND akte_id = {bau}"
        ))
        .await,
        1
    );
    // Filed, it is no longer in the Posteingang: no suggestions.
    let reply = app
        .call(&erbach, "ablage_vorschlaege", &format!("document_id={new}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Another municipality's document answers like an unknown one.
    let theirs = letter(
        &app,
        &michelstadt,
        "Ihr Eingang.txt",
        "Ein Antrag auf Baugenehmigung.",
        None,
    )
    .await;
    for id in [theirs, 987_654] {
        let reply = app
            .call(&erbach, "ablage_vorschlaege", &format!("document_id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
    }
}

#[tokio::test]
async fn without_anything_filed_the_plan_positions_matching_its_words_are_suggested() {
    let app = TestApp::demo_with_background().await;
    let oberzent = app.login_demo("sachbearbeitung.obz").await;
    let new = letter(
        &app,
        &oberzent,
        "Hund.txt",
        "Hiermit melde ich meinen Hund zur Hundesteuer an und bitte um eine Hundemarke.",
        None,
    )
    .await;
    settled(&app).await;
    let shown = suggestions(&app, &oberzent, new).await;
    assert!(!shown.is_empty(), "plan positions");
    assert_eq!(shown[0]["akte_id"], serde_json::Value::Null);
    assert!(
        shown[0]["ziel"]
            .as_str()
            .unwrap_or_default()
            .starts_with("922 Hundesteuer"),
        "{shown:?}"
    );
    assert!(
        shown[0]["erklaerung"]
            .as_str()
            .unwrap_or_default()
            .contains("noch nichts Ähnliches abgelegt"),
        "{shown:?}"
    );
}
