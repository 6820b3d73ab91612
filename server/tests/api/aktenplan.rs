//! The Aktenplan explorer and Akten through their server functions.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn the_seed_plan_is_loaded_and_the_explorer_opens_to_a_position() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("sachbearbeitung.erb").await;
    let reply = app.call(&cookie, "load_explorer", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let roots = reply.json()["roots"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let codes: Vec<&str> = roots.iter().filter_map(|r| r["code"].as_str()).collect();
    assert_eq!(codes, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

    let reply = app.call(&cookie, "load_explorer", "code=621.1").await;
    let data = reply.json();
    assert_eq!(data["selected"]["code"], "621.1");
    let path: Vec<&str> = data["selected"]["path"]
        .as_array()
        .map(|p| p.iter().filter_map(|c| c["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(path, ["6", "62", "621", "621.1"]);
    // The branch down to the selection is delivered open.
    let six = data["roots"]
        .as_array()
        .and_then(|r| r.iter().find(|n| n["code"] == "6"))
        .cloned();
    assert!(six.is_some_and(|n| n["children"].is_array()));

    let reply = app.call(&cookie, "load_explorer", "code=999.9").await;
    assert_eq!(reply.json()["moved_from"], "999.9");
}

#[tokio::test]
async fn search_finds_bauantrag_and_folds_german_spellings() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("projekt.mic").await;
    let reply = app.call(&cookie, "search_plan", "query=Bauantrag").await;
    let hits = reply.json().as_array().cloned().unwrap_or_default();
    assert_eq!(hits[0]["code"], "621.1", "{}", reply.body);
    assert!(hits[0]["title"]
        .as_array()
        .is_some_and(|segments| segments.iter().any(|s| s["highlight"] == true)));
    let reply = app
        .call(&cookie, "search_plan", "query=strassenausbau")
        .await;
    let hits = reply.json().as_array().cloned().unwrap_or_default();
    assert!(hits.iter().any(|h| h["title"].as_array().is_some_and(|s| s
        .iter()
        .any(|seg| seg["text"].as_str().is_some_and(|t| t.contains("Straßen"))))));
    let reply = app
        .call(
            &cookie,
            "search_plan",
            &format!("query={}", "x".repeat(300)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn position_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM plan_positions WHERE code = ? AND active = 1")
        .bind(code)
        .fetch_one(&app.state.pool)
        .await
        .expect("position")
}

#[tokio::test]
async fn akten_get_running_numbers_per_position_and_municipality() {
    let app = TestApp::demo().await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let position = position_id(&app, "621.1").await;
    let form = |title: &str| {
        format!("position_id={position}&title={title}&responsible=Bauamt&opened_on=2026-11-25")
    };
    let first = app
        .call(&erbach, "create_akte", &form("Neubau EFH Hauptstraße 1"))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["aktenzeichen"], "ERB 621.1-0001");
    let second = app
        .call(&erbach, "create_akte", &form("Garage Lindenweg 4"))
        .await;
    assert_eq!(second.json()["aktenzeichen"], "ERB 621.1-0002");
    let other = app
        .call(&michelstadt, "create_akte", &form("Anbau Schulstraße 9"))
        .await;
    assert_eq!(other.json()["aktenzeichen"], "MIC 621.1-0001");

    // Counts and lists show only the own municipality's Akten.
    let reply = app.call(&erbach, "load_explorer", "code=621.1").await;
    let akten = reply.json()["selected"]["akten"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(akten.len(), 2);
    assert!(akten.iter().all(|a| a["akte"]["aktenzeichen"]
        .as_str()
        .is_some_and(|z| z.starts_with("ERB"))));

    // Bad input: German message, nothing written.
    let before = app.count("SELECT COUNT(*) FROM akten").await;
    let reply = app
        .call(
            &erbach,
            "create_akte",
            &format!("position_id={position}&title=&responsible=x&opened_on=2026-11-25"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .call(
            &erbach,
            "create_akte",
            &format!("position_id={position}&title=X&responsible=x&opened_on=25.11.2026"),
        )
        .await;
    assert!(reply.body.contains("Datum"));
    let reply = app
        .call(
            &erbach,
            "create_akte",
            "position_id=999999&title=X&responsible=x&opened_on=2026-11-25",
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM akten").await, before);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'akte_opened'")
            .await,
        3
    );
}

#[tokio::test]
async fn concurrent_openings_never_share_a_number() {
    let app = std::sync::Arc::new(TestApp::demo().await);
    let cookie = app.login_demo("sachbearbeitung.obz").await;
    let position = position_id(&app, "621.1").await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = app.clone();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            app.call(
                &cookie,
                "create_akte",
                &format!(
                    "position_id={position}&title=Akte {i}&responsible=Bauamt&opened_on=2026-11-25"
                ),
            )
            .await
        }));
    }
    let mut references = std::collections::HashSet::new();
    for task in tasks {
        let reply = task.await.expect("join");
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        references.insert(
            reply.json()["aktenzeichen"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    assert_eq!(references.len(), 20);
    assert!(references.contains("OBZ 621.1-0001") && references.contains("OBZ 621.1-0020"));
}

#[tokio::test]
async fn another_municipality_cannot_open_an_akte_by_guessing_its_id() {
    let app = TestApp::demo().await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let id = app
        .open_akte(&michelstadt, "621.1", "Vertraulich", "2026-11-25")
        .await;

    let own = app
        .call(&michelstadt, "get_akte", &format!("id={id}"))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let foreign = app.call(&erbach, "get_akte", &format!("id={id}")).await;
    let unknown = app.call(&erbach, "get_akte", "id=987654").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        foreign.body, unknown.body,
        "foreign and unknown look the same"
    );
    let page = app.get(&format!("/akten/{id}"), Some(&erbach)).await;
    assert!(!page.body.contains("Vertraulich"));
    assert!(page.body.contains("Die Akte wurde nicht gefunden."));

    let reply = app.call(&erbach, "load_explorer", "code=621.1").await;
    assert_eq!(
        reply.json()["selected"]["akten"].as_array().map(Vec::len),
        Some(0)
    );
    let tree = app
        .call(
            &erbach,
            "plan_children",
            &format!("parent_id={}", position_id(&app, "621").await),
        )
        .await;
    assert_eq!(tree.status, StatusCode::OK);
}

/// Trainees work in their practice area (issue 6): they read the real
/// plan, but reach only practice Akten, and new Akten land there.
#[tokio::test]
async fn trainees_reach_only_practice_akten_under_the_plan() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.mic").await;
    let real = app
        .open_akte(&clerk, "621.1", "Echte Akte", "2026-11-02")
        .await;
    let trainee = app.login_demo("schulung.mic").await;
    for (function, form) in [
        ("get_akte", format!("id={real}")),
        ("close_akte", format!("id={real}&closed_on=2026-11-03")),
    ] {
        let reply = app.call(&trainee, function, &form).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{function}");
    }
    let practice = app
        .open_akte(&trainee, "621.1", "Übungsakte", "2026-11-02")
        .await;
    let reply = app
        .call(&trainee, "get_akte", &format!("id={practice}"))
        .await;
    let aktenzeichen = reply.json()["akte"]["aktenzeichen"].to_string();
    assert!(aktenzeichen.contains("UEB"), "{aktenzeichen}");
    let explorer = app.call(&trainee, "load_explorer", "code=621.1").await;
    assert_eq!(explorer.status, StatusCode::OK);
    assert!(!explorer.body.contains("Echte Akte"), "{}", explorer.body);
    assert!(explorer.body.contains("Übungsakte"), "{}", explorer.body);
    let explorer = app.call(&clerk, "load_explorer", "code=621.1").await;
    assert!(!explorer.body.contains("Übungsakte"), "{}", explorer.body);
}

#[tokio::test]
async fn closing_starts_the_retention_period_and_only_the_owner_closes() {
    let app = TestApp::demo().await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let id = app
        .open_akte(&erbach, "621.1", "Scheune", "2026-03-01")
        .await;

    let reply = app
        .call(
            &michelstadt,
            "close_akte",
            &format!("id={id}&closed_on=2026-11-25"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "another municipality cannot close it"
    );
    let reply = app
        .call(
            &erbach,
            "close_akte",
            &format!("id={id}&closed_on=2026-02-01"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not before it was opened"
    );

    let reply = app
        .call(
            &erbach,
            "close_akte",
            &format!("id={id}&closed_on=2026-11-25"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json(), "2056-11-26");
    let detail = app
        .call(&erbach, "get_akte", &format!("id={id}"))
        .await
        .json();
    assert_eq!(detail["akte"]["status"], "Closed");
    assert_eq!(detail["retention_until"], "2056-11-26");
    let reply = app
        .call(
            &erbach,
            "close_akte",
            &format!("id={id}&closed_on=2026-11-26"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_shared_akte_is_visible_to_the_named_municipality_only() {
    let app = TestApp::demo().await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let oberzent = app.login_demo("sachbearbeitung.obz").await;
    let id = app
        .open_akte(&michelstadt, "621.1", "Gemeinsamer+Bauhof", "2026-11-25")
        .await;
    assert_eq!(
        app.call(&erbach, "get_akte", &format!("id={id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let reply = app
        .call(
            &michelstadt,
            "share_akte",
            &format!("id={id}&municipality_id=2&shared=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let shared = app.call(&erbach, "get_akte", &format!("id={id}")).await;
    assert_eq!(shared.status, StatusCode::OK);
    assert_eq!(shared.json()["is_owner"], false);
    assert_eq!(
        app.call(&oberzent, "get_akte", &format!("id={id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let explorer = app.call(&erbach, "load_explorer", "code=621.1").await;
    assert_eq!(
        explorer.json()["selected"]["akten"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Erbach may see it but neither close nor re-share it.
    let reply = app
        .call(
            &erbach,
            "close_akte",
            &format!("id={id}&closed_on=2026-11-25"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let reply = app
        .call(
            &erbach,
            "share_akte",
            &format!("id={id}&municipality_id=3&shared=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let reply = app
        .call(
            &michelstadt,
            "share_akte",
            &format!("id={id}&municipality_id=2&shared=false"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        app.call(&erbach, "get_akte", &format!("id={id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_csv_export_reproduces_the_seed_plan_and_needs_a_login() {
    let app = TestApp::demo().await;
    assert_eq!(
        app.get("/export/aktenplan.csv", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The plan itself is no record: trainees practise under it and may
    // download it (issue 6).
    let trainee = app.login_demo("schulung.bro").await;
    assert_eq!(
        app.get("/export/aktenplan.csv", Some(&trainee))
            .await
            .status,
        StatusCode::OK
    );
    let staff = app.login_demo("sachbearbeitung.bro").await;
    let reply = app.get("/export/aktenplan.csv", Some(&staff)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    assert!(reply
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("attachment")));
    assert_eq!(reply.body, app::aktenplan::storage::SEED_CSV);
    // And it reads back as the same plan.
    let records = app::aktenplan::csv_format::parse(&reply.body).expect("valid CSV");
    assert_eq!(records.len(), 354);
}

/// Form-encodes an import request.
fn import_form(csv: &str, title: &str, publish: bool) -> String {
    serde_urlencoded::to_string([
        ("csv", csv),
        ("title", title),
        ("publish", if publish { "true" } else { "false" }),
    ])
    .expect("encode")
}

async fn plan_fingerprint(app: &TestApp) -> (i64, i64, String) {
    let positions = app.count("SELECT COUNT(*) FROM plan_positions").await;
    let releases = app.count("SELECT COUNT(*) FROM plan_releases").await;
    let records: Vec<_> = app::aktenplan::storage::all(&app.state.pool)
        .await
        .expect("plan")
        .into_iter()
        .map(|p| p.record)
        .collect();
    (
        positions,
        releases,
        app::aktenplan::csv_format::write(&records),
    )
}

#[tokio::test]
async fn a_malformed_csv_is_rejected_with_line_numbers_and_changes_nothing() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let before = plan_fingerprint(&app).await;

    // A valid change (line 3) next to broken lines must not slip through.
    let mut lines: Vec<String> = app::aktenplan::storage::SEED_CSV
        .lines()
        .map(str::to_string)
        .collect();
    lines[2] = lines[2].replacen("und Gebiet", "und Gemeindegebiet", 1);
    lines[5] = format!("0X1;{}", lines[5].split_once(';').map_or("", |(_, r)| r));
    lines[9] = format!(
        "{};vielleicht",
        lines[9].rsplit_once(';').map_or("", |(l, _)| l)
    );
    lines.push("999.1;Ohne Eltern;;;10;Aktenschluss;V;ja".into());
    let csv = lines.join("\n");

    for publish in [false, true] {
        let reply = app
            .call(
                &team,
                "import_plan_csv",
                &import_form(&csv, "Kaputt", publish),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let message = reply.json()["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains("nicht übernommen"), "{message}");
        assert!(message.contains("Zeile 6:"), "{message}");
        assert!(message.contains("Zeile 10:"), "{message}");
        assert!(
            message.contains(&format!("Zeile {}:", lines.len())),
            "{message}"
        );
        assert!(!message.contains("Zeile 3:"), "{message}");
    }
    assert_eq!(plan_fingerprint(&app).await, before);
}

#[tokio::test]
async fn an_edited_csv_is_previewed_then_published_as_a_new_version() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let staff = app.login_demo("sachbearbeitung.mic").await;
    let seed = app::aktenplan::storage::SEED_CSV;

    // Unchanged: nothing to publish.
    let reply = app
        .call(&team, "import_plan_csv", &import_form(seed, "", false))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["changelog"], serde_json::json!([]));

    let mut records = app::aktenplan::csv_format::parse(seed).expect("seed");
    let bauantraege = records
        .iter()
        .position(|r| r.code.as_str() == "621.1")
        .expect("621.1");
    records[bauantraege].title = "Bauanträge und Bauvoranfragen".into();
    let mut new = records[bauantraege].clone();
    new.code = app::aktenplan::code::Kennzeichen::parse("621.9").expect("code");
    new.title = "Digitale Bauanträge".into();
    let after_621 = records
        .iter()
        .rposition(|r| r.code.as_str().starts_with("621."))
        .expect("621.x");
    records.insert(after_621 + 1, new);
    let csv = app::aktenplan::csv_format::write(&records);

    let reply = app
        .call(&staff, "import_plan_csv", &import_form(&csv, "V2", true))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let before = plan_fingerprint(&app).await;
    let reply = app
        .call(&team, "import_plan_csv", &import_form(&csv, "", false))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["changelog"].as_array().map(Vec::len), Some(2));
    assert_eq!(reply.json()["version"], serde_json::Value::Null);
    assert_eq!(
        plan_fingerprint(&app).await,
        before,
        "a check changes nothing"
    );

    let reply = app
        .call(
            &team,
            "import_plan_csv",
            &import_form(&csv, "Aktenplan 2027", true),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["version"], 2);
    let reply = app.call(&staff, "list_releases", "").await;
    let newest = &reply.json()[0];
    assert_eq!(newest["title"], "Aktenplan 2027");
    assert!(newest["changes"]
        .as_array()
        .is_some_and(|c| c.iter().any(|l| l
            .as_str()
            .is_some_and(|l| l.contains("Digitale Bauanträge")))));
    // The explorer's search sees the new version at once.
    let reply = app.call(&staff, "search_plan", "query=Digitale").await;
    assert!(reply.body.contains("621.9"), "{}", reply.body);
    // Exported again, the plan is exactly the file that was imported.
    let export = app.get("/export/aktenplan.csv", Some(&staff)).await;
    assert!(
        export.body == csv,
        "the export differs from the imported file"
    );
}

#[tokio::test]
async fn every_change_to_an_akte_is_recorded_once_and_refusals_not_at_all() {
    let app = TestApp::demo().await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let id = app
        .open_akte(&michelstadt, "621.1", "Protokoll", "2026-03-01")
        .await;
    let entries = |action: &'static str| {
        format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND object_id = '{id}'")
    };
    assert_eq!(app.count(&entries("akte_opened")).await, 1);

    // Refused: unknown partner, a stranger's attempt, closing before opening.
    for (cookie, function, form) in [
        (
            &michelstadt,
            "share_akte",
            format!("id={id}&municipality_id=999&shared=true"),
        ),
        (
            &erbach,
            "share_akte",
            format!("id={id}&municipality_id=3&shared=true"),
        ),
        (
            &michelstadt,
            "close_akte",
            format!("id={id}&closed_on=2026-02-01"),
        ),
    ] {
        let reply = app.call(cookie, function, &form).await;
        assert_ne!(reply.status, StatusCode::OK, "{function} {form}");
    }
    assert_eq!(app.count(&entries("akte_shared")).await, 0);
    assert_eq!(app.count(&entries("akte_closed")).await, 0);

    for (function, form) in [
        (
            "share_akte",
            format!("id={id}&municipality_id=2&shared=true"),
        ),
        (
            "share_akte",
            format!("id={id}&municipality_id=2&shared=false"),
        ),
        ("close_akte", format!("id={id}&closed_on=2026-11-25")),
    ] {
        let reply = app.call(&michelstadt, function, &form).await;
        assert_eq!(reply.status, StatusCode::OK, "{function}: {}", reply.body);
    }
    for action in ["akte_shared", "akte_unshared", "akte_closed"] {
        assert_eq!(app.count(&entries(action)).await, 1, "{action}");
    }
}

#[tokio::test]
async fn a_published_csv_import_is_recorded_with_its_version_and_a_check_is_not() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let mut records =
        app::aktenplan::csv_format::parse(app::aktenplan::storage::SEED_CSV).expect("seed");
    let bauantraege = records
        .iter()
        .position(|r| r.code.as_str() == "621.1")
        .expect("621.1");
    records[bauantraege].title = "Bauanträge, neu benannt".into();
    let csv = app::aktenplan::csv_format::write(&records);
    let imports = "SELECT COUNT(*) FROM audit_log WHERE action = 'plan_csv_imported'";

    let reply = app
        .call(&team, "import_plan_csv", &import_form(&csv, "", false))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(app.count(imports).await, 0, "a check records nothing");

    let reply = app
        .call(&team, "import_plan_csv", &import_form(&csv, "V2", true))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.count(&format!("{imports} AND object_id = '2'")).await,
        1
    );
}
