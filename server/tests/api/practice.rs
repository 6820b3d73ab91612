//! Practice mode (issue 6) on the real server: trainees reach no real
//! record through any server function or route, practice changes no real
//! row, a reset restores the template exactly, and real search, lists and
//! figures never show practice data.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use std::collections::BTreeMap;

const REAL: &str = "(SELECT id FROM municipalities WHERE practice_user_id IS NULL)";

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_string()
}

fn propose_form(position: &str, title: &str, justification: &str) -> String {
    [
        ("kind", "rename"),
        ("position_code", position),
        ("new_code", ""),
        ("title", title),
        ("description", ""),
        ("keywords", ""),
        ("retention", "10"),
        ("trigger", "Aktenschluss"),
        ("appraisal", "B"),
        ("justification", justification),
    ]
    .iter()
    .map(|(field, value)| format!("proposal%5B{field}%5D={}", urlencode(value)))
    .collect::<Vec<_>>()
    .join("&")
}

async fn search(app: &TestApp, cookie: &str, q: &str, extra: &str) -> serde_json::Value {
    let form = format!(
        "params[q]={}&params[sort]=Relevance&params[page]=1{extra}",
        urlencode(q)
    );
    let reply = app.call(cookie, "search_documents", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The practice area (municipality) of a user.
async fn area_of(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT m.id FROM municipalities m JOIN users u ON u.id = m.practice_user_id WHERE u.username = ?",
    )
    .bind(username)
    .fetch_one(&app.state.pool)
    .await
    .unwrap()
}

/// Everything stored about real records, table by table: row count and
/// every column of every row (rows of practice areas left out). Tables
/// not named here are compared in full. Left out on purpose: sessions and
/// login failures (sign-in bookkeeping), the search outbox (a transient
/// queue), the migrations table, and the audit log (checked separately:
/// it may only gain the real entries about entering, leaving and
/// resetting practice). Of users, the practice switch and its timestamp
/// and the last login may change.
async fn real_rows(app: &TestApp) -> BTreeMap<String, (i64, String)> {
    let real_documents = format!("(SELECT id FROM documents WHERE municipality_id IN {REAL})");
    let real_versions =
        format!("(SELECT id FROM document_versions WHERE document_id IN {real_documents})");
    let filters: Vec<(&str, String)> = vec![
        ("municipalities", "t.practice_user_id IS NULL".into()),
        ("akten", format!("t.municipality_id IN {REAL}")),
        ("akten_counters", format!("t.municipality_id IN {REAL}")),
        ("vorgaenge", format!("t.municipality_id IN {REAL}")),
        ("wiedervorlagen", format!("t.municipality_id IN {REAL}")),
        ("zuweisungen", format!("t.municipality_id IN {REAL}")),
        ("laufwege", format!("t.municipality_id IN {REAL}")),
        (
            "laufweg_schritte",
            format!("t.laufweg_id IN (SELECT id FROM laufwege WHERE municipality_id IN {REAL})"),
        ),
        (
            "vorgang_counters",
            format!("t.akte_id IN (SELECT id FROM akten WHERE municipality_id IN {REAL})"),
        ),
        ("documents", format!("t.municipality_id IN {REAL}")),
        ("document_versions", format!("t.document_id IN {real_documents}")),
        ("document_tags", format!("t.document_id IN {real_documents}")),
        ("version_texts", format!("t.version_id IN {real_versions}")),
        (
            "jobs",
            format!("t.version_id IS NULL OR t.version_id IN {real_versions}"),
        ),
        (
            "blobs",
            format!("t.sha256 IN (SELECT sha256 FROM document_versions WHERE id IN {real_versions})"),
        ),
        ("plan_proposals", "t.practice_municipality_id IS NULL".into()),
        (
            "plan_proposal_comments",
            "t.proposal_id IN (SELECT id FROM plan_proposals WHERE practice_municipality_id IS NULL)"
                .into(),
        ),
    ];
    let skipped = [
        "sessions",
        "login_failures",
        "search_outbox",
        "_sqlx_migrations",
        "audit_log",
        // Signing in during the script is real use of the real account
        // (and the same days as bits).
        "user_activity_days",
        "user_activity_years",
    ];
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        if skipped.contains(&table.as_str()) {
            continue;
        }
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&app.state.pool)
            .await
            .unwrap();
        let columns: Vec<String> = columns
            .into_iter()
            .filter(|c| {
                !(table == "users"
                    && ["practice_active", "updated_at", "last_login_at"].contains(&c.as_str()))
            })
            .map(|c| format!("quote(t.\"{c}\")"))
            .collect();
        let filter = filters
            .iter()
            .find(|(name, _)| *name == table)
            .map_or_else(|| "1".to_string(), |(_, f)| f.clone());
        let sql = format!(
            "SELECT COUNT(*), COALESCE(group_concat(line, char(10)), '') FROM
             (SELECT {} AS line FROM \"{table}\" t WHERE {filter} ORDER BY t.rowid)",
            columns.join(" || '|' || ")
        );
        let row: (i64, String) = sqlx::query_as(&sql)
            .fetch_one(&app.state.pool)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        out.insert(table, row);
    }
    out
}

/// Real records a trainee must never reach.
struct RealRecords {
    document: i64,
    image: i64,
    akte: i64,
    proposal: i64,
    clerk: i64,
    secret_words: [&'static str; 3],
}

async fn real_records(app: &TestApp) -> RealRecords {
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let document = app
        .upload_ok(
            &mic,
            "Vermerk_Eulbach.txt",
            "Vertraulich: Zwangsversteigerung Hofgut Eulbach".as_bytes(),
        )
        .await;
    let image = app
        .upload_ok(
            &mic,
            "Eulbach_Foto.png",
            &common::samples::every_allowed_type()
                .into_iter()
                .find(|(name, _)| name.ends_with(".png"))
                .unwrap()
                .1,
        )
        .await;
    let akte = app
        .open_akte(&mic, "621.1", "Hofgut Eulbach Umbau", "2026-01-05")
        .await;
    let reply = app
        .call(
            &mic,
            "bulk_documents",
            &format!("ids[0]={document}&action=file&value={akte}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app
        .call(
            &mic,
            "propose_change",
            &propose_form(
                "624",
                "Denkmalschutz Eulbach",
                "Vertrauliche Begründung Eulbach",
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let proposal = reply.json().as_i64().unwrap();
    RealRecords {
        document,
        image,
        akte,
        proposal,
        clerk: app.user_id("sachbearbeitung.mic").await,
        secret_words: ["Eulbach", "Zwangsversteigerung", "MIC 621.1-0001"],
    }
}

fn assert_no_leak(what: &str, reply: &common::Reply, real: &RealRecords) {
    for word in real.secret_words {
        assert!(
            !reply.body.contains(word),
            "{what} leaked {word:?}: {} {}",
            reply.status,
            reply.body
        );
    }
}

#[tokio::test]
async fn a_trainee_cannot_read_list_search_or_download_any_real_record() {
    let app = TestApp::demo().await;
    let real = real_records(&app).await;
    let trainee = app.login_demo("schulung.mic").await;

    // The trainee is inside their practice area, always.
    let me = app.call(&trainee, "current_user", "").await.json();
    assert!(
        me["municipality"]["code"]
            .as_str()
            .unwrap()
            .starts_with("UEB"),
        "{me}"
    );
    assert_eq!(me["role"], "Schulung");
    assert_eq!(me["all_municipalities"], false);

    let (d, i, a, p, u) = (
        real.document,
        real.image,
        real.akte,
        real.proposal,
        real.clerk,
    );
    // Every server function that takes an id or lists records; the
    // expected answer is a refusal (403) or "not found" (404), never data.
    let refused: Vec<(&str, String)> = vec![
        ("get_document", format!("id={d}")),
        ("save_document", format!("id={d}&meta[title]=X&meta[doc_type]=eingang&meta[document_date]=&meta[correspondent]=&meta[tags]=&meta[notes]=")),
        ("bulk_documents", format!("ids[0]={d}&action=trash&value=")),
        ("bulk_documents", format!("ids[0]={d}&action=tag&value=Eulbach")),
        ("restore_document_version", format!("id={d}&number=1")),
        ("document_history", format!("id={d}")),
        ("document_found_text", format!("id={d}")),
        ("document_text_state", format!("id={d}")),
        ("reprocess_document", format!("id={d}")),
        ("akte_documents", format!("akte_id={a}")),
        ("get_akte", format!("id={a}")),
        ("close_akte", format!("id={a}&closed_on=2026-02-01")),
        ("comment_proposal", format!("proposal_id={p}&text=Gelesen")),
        ("decide_proposal", format!("proposal_id={p}&approve=true&note=")),
        ("publish_plan", "title=Neu&notes=".into()),
        ("import_plan_csv", "csv=x&title=x&publish=false".into()),
        ("list_audit", String::new()),
        ("verify_audit", String::new()),
        ("list_users", String::new()),
        ("create_user", "username=x.mic&display_name=X&email=&municipality_id=1&role=sachbearbeitung".into()),
        ("update_user", format!("id={u}&display_name=X&email=&municipality_id=1&role=sachbearbeitung")),
        ("set_user_active", format!("id={u}&active=false")),
        ("reset_password", format!("id={u}")),
        ("processing_queue", String::new()),
        ("retry_failed_jobs", String::new()),
        ("empty_trash", String::new()),
        ("verify_store", String::new()),
        ("leave_practice", String::new()),
    ];
    for (function, form) in &refused {
        let reply = app.call(&trainee, function, form).await;
        assert!(
            matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{function}({form}) answered {}: {}",
            reply.status,
            reply.body
        );
        assert_no_leak(function, &reply, &real);
    }

    // Sharing is refused in practice before anything is looked up.
    let reply = app
        .call(
            &trainee,
            "share_akte",
            &format!("id={a}&municipality_id=2&shared=true"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM akten_shares").await, 0);

    // Lists and searches answer, but only with practice data.
    let listed: Vec<(&str, String)> = vec![
        ("load_inbox", String::new()),
        ("list_trash", String::new()),
        ("find_filing_targets", "query=Eulbach".into()),
        ("find_filing_targets", "query=MIC".into()),
        ("suggest_documents", "prefix=Eulb".into()),
        ("suggest_documents", "prefix=Zwangs".into()),
        ("load_abstimmung", String::new()),
        ("load_explorer", "code=621.1".into()),
        ("search_plan", "query=Eulbach".into()),
        ("load_practice", String::new()),
    ];
    for (function, form) in &listed {
        let reply = app.call(&trainee, function, form).await;
        assert_eq!(reply.status, StatusCode::OK, "{function}: {}", reply.body);
        assert_no_leak(function, &reply, &real);
    }
    let explorer = app
        .call(&trainee, "load_explorer", "code=621.1")
        .await
        .json();
    let akten = explorer["selected"]["akten"].as_array().unwrap();
    assert!(!akten.is_empty(), "the practice Akten under 621.1");
    for listed in akten {
        let akte = &listed["akte"];
        assert!(
            akte["aktenzeichen"].as_str().unwrap().starts_with("UEB"),
            "{akte}"
        );
        assert_ne!(akte["id"], a);
    }
    let in_akte = format!("&params[akte]={a}");
    for extra in [
        "",
        "&params[municipality]=MIC",
        "&params[doc_type]=eingang",
        in_akte.as_str(),
    ] {
        for q in ["Eulbach", "Zwangsversteigerung", ""] {
            let answer = search(&app, &trainee, q, extra).await;
            let text = answer.to_string();
            assert!(
                !text.contains("Eulbach") && !text.contains(&format!("\"document_id\":{d}")),
                "search {q:?}{extra}: {text}"
            );
        }
    }

    // Plain routes: file, preview picture, a new version of a real
    // document, an upload into a real Akte.
    for path in [
        format!("/dokumente/{d}/datei"),
        format!("/dokumente/{d}/datei?version=1&ansicht=1"),
        format!("/dokumente/{i}/vorschaubild"),
    ] {
        let reply = app.get(&path, Some(&trainee)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_no_leak(&path, &reply, &real);
    }
    for extra in [format!("&dokument={d}"), format!("&akte={a}")] {
        let reply = app.upload(&trainee, "Neu.txt", &extra, b"Uebung").await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{extra}: {}",
            reply.body
        );
    }
    // Pages render without the real content.
    for path in [
        format!("/dokumente/{d}"),
        format!("/akten/{a}"),
        "/posteingang".to_string(),
        "/papierkorb".to_string(),
        "/aktenplan/abstimmung".to_string(),
        "/suche".to_string(),
        "/verwaltung".to_string(),
        "/verwaltung/protokoll".to_string(),
        "/verwaltung/verarbeitung".to_string(),
    ] {
        let reply = app.get(&path, Some(&trainee)).await;
        assert_no_leak(&path, &reply, &real);
        assert!(
            reply.body.contains("Übungsmodus – hier ist nichts echt"),
            "{path} without the practice banner"
        );
    }
    // Still in practice after trying to leave.
    let me = app.call(&trainee, "current_user", "").await.json();
    assert!(me["practice"].is_object(), "{me}");
}

#[tokio::test]
async fn practice_actions_change_no_real_row_and_write_no_practice_audit() {
    let app = TestApp::demo().await;
    let real = real_records(&app).await;
    let clerk = app.login_demo("sachbearbeitung.mic").await;
    let trainee = app.login_demo("schulung.erb").await;
    // Create both areas first, so that the comparison sees practice work only.
    app.call(&trainee, "current_user", "").await;
    let audit_before: i64 = app
        .count("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .await;
    let before = real_rows(&app).await;

    // A clerk's scripted practice session.
    let reply = app.call(&clerk, "enter_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let area = area_of(&app, "sachbearbeitung.mic").await;
    for (cookie, who) in [(&clerk, "clerk"), (&trainee, "trainee")] {
        let uploaded = app
            .upload_ok(
                cookie,
                "Uebungsvermerk.txt",
                format!("Übungsvermerk von {who}").as_bytes(),
            )
            .await;
        let akte = app
            .open_akte(cookie, "621.1", "Übungsakte", "2026-03-01")
            .await;
        for (action, value) in [
            ("file", akte.to_string()),
            ("tag", "Übung".to_string()),
            ("type", "vermerk".to_string()),
        ] {
            let reply = app
                .call(
                    cookie,
                    "bulk_documents",
                    &format!(
                        "ids[0]={uploaded}&action={action}&value={}",
                        urlencode(&value)
                    ),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
        }
        let reply = app
            .call(
                cookie,
                "save_document",
                &format!("id={uploaded}&meta[title]=Ge%C3%A4ndert&meta[doc_type]=vermerk&meta[document_date]=2026-03-02&meta[correspondent]=Test&meta[tags]=%C3%9Cbung&meta[notes]=Notiz"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let reply = app
            .call(
                cookie,
                "bulk_documents",
                &format!("ids[0]={uploaded}&action=trash&value="),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        search(&app, cookie, "Übungsvermerk", "").await;
        let reply = app
            .call(
                cookie,
                "propose_change",
                &propose_form("621.1", "Bauanträge (Übung)", "Nur zur Übung vorgeschlagen"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let proposal = reply.json().as_i64().unwrap();
        let reply = app
            .call(
                cookie,
                "comment_proposal",
                &format!("proposal_id={proposal}&text=Kommentar"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        // Sharing with a real municipality is refused in practice.
        let reply = app
            .call(
                cookie,
                "share_akte",
                &format!("id={akte}&municipality_id=2&shared=true"),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
    }
    // The real project team sees no practice proposal and cannot decide one.
    let team = app.login_demo("projekt.mic").await;
    let reply = app.call(&team, "load_abstimmung", "").await;
    assert!(!reply.body.contains("Übung"), "{}", reply.body);
    let practice_proposal: i64 = app
        .count("SELECT MAX(id) FROM plan_proposals WHERE practice_municipality_id IS NOT NULL")
        .await;
    let reply = app
        .call(
            &team,
            "decide_proposal",
            &format!("proposal_id={practice_proposal}&approve=true&note="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    // A real Akte cannot be shared with a practice area, which is no
    // candidate either.
    let reply = app
        .call(
            &team,
            "share_akte",
            &format!("id={}&municipality_id={area}&shared=true", real.akte),
        )
        .await;
    assert_ne!(reply.status, StatusCode::OK);
    let reply = app
        .call(
            &clerk,
            "share_akte",
            &format!("id={}&municipality_id={area}&shared=true", real.akte),
        )
        .await;
    assert_ne!(reply.status, StatusCode::OK, "{}", reply.body);
    // No account can be put into a practice area, not even by the central
    // administrator.
    let central = app.login_demo("admin.mic").await;
    let reply = app
        .call(
            &central,
            "create_user",
            &format!("username=uebung.x&display_name=X&email=&municipality_id={area}&role=sachbearbeitung"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = app
        .call(
            &central,
            "update_user",
            &format!(
                "id={}&display_name=X&email=&municipality_id={area}&role=sachbearbeitung",
                real.clerk
            ),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    for cookie in [&clerk, &trainee] {
        let reply = app.call(cookie, "reset_practice", "").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let reply = app.call(&clerk, "leave_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let detail = app
        .call(&clerk, "get_akte", &format!("id={}", real.akte))
        .await
        .json();
    let candidates = detail["share_candidates"].to_string();
    assert!(
        !candidates.contains("Übung") && !candidates.contains("UEB"),
        "{candidates}"
    );

    let after = real_rows(&app).await;
    for (table, rows) in &before {
        assert_eq!(Some(rows), after.get(table), "real rows of {table} changed");
    }
    assert_eq!(before.len(), after.len());
    // The audit log gained only the real events about the clerk.
    let added: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT action, municipality_id, actor_user_id FROM audit_log WHERE id > ? ORDER BY id",
    )
    .bind(audit_before)
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = added.iter().map(|(a, ..)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "practice_entered",
            "login",
            "login",
            "practice_reset",
            "practice_reset",
            "practice_left"
        ],
        "{added:?}"
    );
    for (action, municipality, _) in &added {
        if action.starts_with("practice_") {
            assert!(
                matches!(municipality, Some(1) | Some(2)),
                "{action}: {municipality:?}"
            );
        }
    }
    let practice_entries = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE municipality_id NOT IN {REAL}"
        ))
        .await;
    assert_eq!(practice_entries, 0);
    let reply = app.call(&team, "verify_audit", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let report = app.call(&central, "verify_audit", "").await.json();
    assert!(report["first_broken_id"].is_null(), "{report}");
}

#[tokio::test]
async fn reset_restores_the_template_state_exactly() {
    let app = TestApp::demo().await;
    let trainee = app.login_demo("schulung.obz").await;
    app.call(&trainee, "current_user", "").await;
    let area = area_of(&app, "schulung.obz").await;
    let fresh_lines = app::practice::storage::canonical_state(&app.state.pool, area)
        .await
        .unwrap();
    let fresh = app::practice::storage::fingerprint(&app.state.pool, area)
        .await
        .unwrap();
    let template = app::practice::template::documents();
    assert_eq!(
        fresh_lines
            .iter()
            .filter(|l| l.starts_with("document|"))
            .count(),
        template.len()
    );
    assert!(
        fresh_lines
            .iter()
            .filter(|l| l.starts_with("akte|"))
            .count()
            >= 10
    );
    let blobs_fresh = app.blob_files().len();

    // Change everything a trainee can change.
    let own = app
        .upload_ok(
            &trainee,
            "Eigenes.txt",
            "Nur in der Übung hochgeladen".as_bytes(),
        )
        .await;
    let inbox = app.call(&trainee, "load_inbox", "").await.json();
    let template_doc = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Antrag Ratenzahlung Friedhofsgebühren")
        .map(|d| d["id"].as_i64().unwrap())
        .unwrap();
    let akte = app
        .open_akte(&trainee, "700", "Gewerbe Übung", "2026-04-01")
        .await;
    for form in [
        format!("ids[0]={own}&ids[1]={template_doc}&action=file&value={akte}"),
        format!("ids[0]={template_doc}&action=tag&value=Erledigt"),
    ] {
        let reply = app.call(&trainee, "bulk_documents", &form).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let reply = app
        .upload(
            &trainee,
            "Eigenes_v2.txt",
            &format!("&dokument={template_doc}"),
            b"Zweite Fassung",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let reply = app
        .call(
            &trainee,
            "close_akte",
            &format!("id={akte}&closed_on=2026-04-02"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app
        .call(
            &trainee,
            "propose_change",
            &propose_form("700", "Gewerbe (Übung)", "Zur Übung vorgeschlagen"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let changed = app::practice::storage::fingerprint(&app.state.pool, area)
        .await
        .unwrap();
    assert_ne!(changed, fresh, "the changes show in the fingerprint");

    let reply = app.call(&trainee, "reset_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        area_of(&app, "schulung.obz").await,
        area,
        "the same area, refilled"
    );
    let after_lines = app::practice::storage::canonical_state(&app.state.pool, area)
        .await
        .unwrap();
    assert_eq!(after_lines, fresh_lines);
    assert_eq!(
        app::practice::storage::fingerprint(&app.state.pool, area)
            .await
            .unwrap(),
        fresh
    );
    // The files only the practice changes used are gone again.
    assert_eq!(app.blob_files().len(), blobs_fresh);
    let reply = app
        .get(&format!("/dokumente/{own}/datei"), Some(&trainee))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // A second reset changes nothing further.
    app.call(&trainee, "reset_practice", "").await;
    assert_eq!(
        app::practice::storage::fingerprint(&app.state.pool, area)
            .await
            .unwrap(),
        fresh
    );
    // Outside practice there is nothing to reset.
    let clerk = app.login_demo("sachbearbeitung.obz").await;
    let reply = app.call(&clerk, "reset_practice", "").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn real_search_lists_and_figures_never_show_practice_data() {
    let app = TestApp::demo_with_background().await;
    let trainee = app.login_demo("schulung.mic").await;
    let clerk = app.login_demo("sachbearbeitung.mic").await;
    // The clerk practises too, then goes back to real work.
    assert_eq!(
        app.call(&clerk, "enter_practice", "").await.status,
        StatusCode::OK
    );
    app.upload_ok(
        &clerk,
        "Lindenberg_Notiz.txt",
        "Lindenberg Übungsnotiz Wespennest".as_bytes(),
    )
    .await;
    let mine = app
        .upload_ok(
            &clerk,
            "Papierkorbprobe.txt",
            "Papierkorbprobe aus der Übung".as_bytes(),
        )
        .await;
    let reply = app
        .call(
            &clerk,
            "bulk_documents",
            &format!("ids[0]={mine}&action=trash&value="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    // Found in practice (the positive control for the real search below).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while search(&app, &clerk, "Wespennest", "").await["total"] != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "practice search of the clerk"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        app.call(&clerk, "leave_practice", "").await.status,
        StatusCode::OK
    );
    app.call(&trainee, "current_user", "").await;

    // Practice search works: the template's PDFs are extracted and indexed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let answer = search(&app, &trainee, "Lindenberg", "").await;
        if answer["total"].as_u64().unwrap_or(0) >= 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "practice search: {answer}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Everything extracted and indexed before looking for leaks.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while app
        .count("SELECT (SELECT COUNT(*) FROM search_outbox) + (SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'running'))")
        .await
        > 0
    {
        assert!(std::time::Instant::now() < deadline, "background work did not settle");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        search(&app, &trainee, "Wespennest", "").await["total"],
        0,
        "areas are apart"
    );

    // Real search of the clerk (now outside practice): nothing of practice.
    for q in ["Lindenberg", "Wespennest", "Friedhofsgebühren", "UEB", ""] {
        let answer = search(&app, &clerk, q, "").await;
        assert_eq!(answer["total"], 0, "{q}: {answer}");
    }
    let reply = app.call(&clerk, "suggest_documents", "prefix=Linden").await;
    assert_eq!(reply.json(), serde_json::json!([]));
    for function in ["load_inbox", "list_trash"] {
        let reply = app.call(&clerk, function, "").await;
        assert_eq!(reply.json(), serde_json::json!([]), "{function}");
    }
    // The central administrator's views across all municipalities.
    let admin = app.login_demo("admin.mic").await;
    let reply = app.call(&admin, "list_trash", "").await;
    assert_eq!(reply.json(), serde_json::json!([]), "{}", reply.body);
    let queue = app.call(&admin, "processing_queue", "").await.json();
    for count in ["pending", "running", "done", "failed", "ocr_pages"] {
        assert_eq!(queue["counts"][count], 0, "{count}: {queue}");
    }
    let audit = app.call(&admin, "list_audit", "").await;
    assert!(!audit.body.contains("Übung –"), "{}", audit.body);
    assert!(!audit.body.contains("document_uploaded"), "{}", audit.body);
    let users = app.call(&admin, "list_users", "").await;
    assert!(!users.body.contains("UEB"), "{}", users.body);
    // Emptying the real trash leaves practice trash alone.
    assert_eq!(app.call(&admin, "empty_trash", "").await.json(), 0);
    let practice_trash = app
        .count(&format!(
            "SELECT COUNT(*) FROM documents WHERE id = {mine} AND trashed_at IS NOT NULL"
        ))
        .await;
    assert_eq!(practice_trash, 1);
    // The explorer's Akten counts of real clerks exclude practice Akten.
    let explorer = app.call(&clerk, "load_explorer", "code=621.1").await;
    assert!(!explorer.body.contains("UEB"), "{}", explorer.body);
}
