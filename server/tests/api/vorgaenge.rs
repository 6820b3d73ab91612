//! Vorgänge in an Akte: numbered within the Akte under concurrency, opened
//! only by the Akte's municipality while it is open, listed for whoever
//! may see the Akte, taken into work and back, and every step audited.

use crate::common::TestApp;
use axum::http::StatusCode;

async fn open(app: &TestApp, cookie: &str, akte: i64, title: &str) -> crate::common::Reply {
    app.call(
        cookie,
        "open_vorgang",
        &format!("akte_id={akte}&title={title}&opened_on=2026-12-07"),
    )
    .await
}

#[tokio::test]
async fn concurrent_openings_number_the_vorgaenge_of_an_akte_without_gaps() {
    let app = std::sync::Arc::new(TestApp::demo().await);
    let cookie = app.login_demo("sachbearbeitung.obz").await;
    let akte = app
        .open_akte(&cookie, "621.1", "Bauantrag Müller", "2026-12-01")
        .await;
    let other = app
        .open_akte(&cookie, "621.1", "Bauantrag Schmidt", "2026-12-01")
        .await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            open(&app, &cookie, akte, &format!("Schreiben {i}")).await
        }));
    }
    let mut references = std::collections::BTreeSet::new();
    for task in tasks {
        let reply = task.await.expect("join");
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        references.insert(
            reply.json()["zeichen"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let expected: std::collections::BTreeSet<String> =
        (1..=12).map(|n| format!("OBZ 621.1-0001/{n}")).collect();
    assert_eq!(references, expected);
    // Each Akte counts on its own.
    let reply = open(&app, &cookie, other, "Erstes Schreiben").await;
    assert_eq!(
        reply.json()["zeichen"],
        "OBZ 621.1-0002/1",
        "{}",
        reply.body
    );

    let reply = app
        .call(&cookie, "list_vorgaenge", &format!("akte_id={akte}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let list = reply.json();
    assert_eq!(list["may_open"], true);
    let rows = list["vorgaenge"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0]["zeichen"], "OBZ 621.1-0001/1");
    assert_eq!(rows[0]["status"], "Open");
    let name: String =
        sqlx::query_scalar("SELECT display_name FROM users WHERE username = 'sachbearbeitung.obz'")
            .fetch_one(&app.state.pool)
            .await
            .expect("name");
    assert_eq!(rows[0]["responsible"], name.as_str());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'vorgang_opened'")
            .await,
        13
    );
}

#[tokio::test]
async fn only_the_akte_s_municipality_opens_vorgaenge_and_only_while_it_is_open() {
    let app = TestApp::demo().await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let akte = app
        .open_akte(&michelstadt, "621.1", "Vertraulich", "2026-12-01")
        .await;

    // Another municipality: a foreign Akte answers like an unknown one.
    let foreign = open(&app, &erbach, akte, "Fremd").await;
    let unknown = open(&app, &erbach, 987_654, "Fremd").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    assert_eq!(foreign.body, unknown.body);
    let listed = app
        .call(&erbach, "list_vorgaenge", &format!("akte_id={akte}"))
        .await;
    assert_eq!(listed.status, StatusCode::NOT_FOUND, "{}", listed.body);

    // Shared with Erbach: Erbach sees the Vorgänge but opens none.
    let reply = open(&app, &michelstadt, akte, "Antrag").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let antrag = reply.json()["id"].as_i64().expect("id");
    let reply = app
        .call(
            &michelstadt,
            "share_akte",
            &format!("id={akte}&municipality_id=2&shared=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let listed = app
        .call(&erbach, "list_vorgaenge", &format!("akte_id={akte}"))
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json()["may_open"], false);
    assert_eq!(listed.json()["vorgaenge"].as_array().map(Vec::len), Some(1));
    let refused = open(&app, &erbach, akte, "Fremd").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);

    // A closed Akte takes no new Vorgang; the message says why.
    let reply = app
        .call(
            &michelstadt,
            "close_vorgang",
            &format!("id={antrag}&closed_on=2026-12-07"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app
        .call(
            &michelstadt,
            "close_akte",
            &format!("id={akte}&closed_on=2026-12-08"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let refused = open(&app, &michelstadt, akte, "Zu spät").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("geschlossenen Akte"));

    // Bad input: a German message, nothing written.
    let before = app.count("SELECT COUNT(*) FROM vorgaenge").await;
    let other = app
        .open_akte(&michelstadt, "621.1", "Offen", "2026-12-01")
        .await;
    for (title, date) in [("%20", "2026-12-07"), ("Titel", "07.12.2026")] {
        let reply = app
            .call(
                &michelstadt,
                "open_vorgang",
                &format!("akte_id={other}&title={title}&opened_on={date}"),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM vorgaenge").await, before);
}

#[tokio::test]
async fn a_vorgang_is_taken_into_work_and_back_by_its_municipality() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let other = app.login_demo("sachbearbeitung.mic").await;
    let akte = app
        .open_akte(&clerk, "621.1", "Bauantrag", "2026-12-01")
        .await;
    let id = open(&app, &clerk, akte, "Nachforderung").await.json()["id"]
        .as_i64()
        .expect("id");
    let set = |cookie: String, status: &'static str| {
        let app = &app;
        async move {
            app.call(
                &cookie,
                "set_vorgang_status",
                &format!("id={id}&status={status}"),
            )
            .await
        }
    };
    let reply = set(other.clone(), "InProgress").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let reply = set(clerk.clone(), "InProgress").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let status = |app: &TestApp| {
        let query = format!("SELECT status FROM vorgaenge WHERE id = {id}");
        let pool = app.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(&query)
                .fetch_one(&pool)
                .await
                .expect("status")
        }
    };
    assert_eq!(status(&app).await, "in_progress");
    // Twice is once.
    let reply = set(clerk.clone(), "InProgress").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = set(clerk.clone(), "Open").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(status(&app).await, "open");
    // zdA is not a status one sets.
    let reply = set(clerk.clone(), "Closed").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'vorgang_status_changed'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_document_can_only_be_in_a_vorgang_of_its_own_akte() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let first = app.open_akte(&clerk, "621.1", "Erste", "2026-12-01").await;
    let second = app.open_akte(&clerk, "621.1", "Zweite", "2026-12-01").await;
    let vorgang = open(&app, &clerk, first, "Antrag").await.json()["id"]
        .as_i64()
        .expect("id");
    let document = app
        .upload_ok(&clerk, "Antrag.txt", b"Antrag auf Baugenehmigung")
        .await;
    let file = |akte: i64| {
        sqlx::query("UPDATE documents SET akte_id = ?, vorgang_id = ? WHERE id = ?")
            .bind(akte)
            .bind(vorgang)
            .bind(document)
    };
    assert!(file(second).execute(&app.state.pool).await.is_err());
    file(first)
        .execute(&app.state.pool)
        .await
        .expect("in its own Akte");
    let listed = app
        .call(&clerk, "list_vorgaenge", &format!("akte_id={first}"))
        .await;
    assert_eq!(
        listed.json()["vorgaenge"][0]["documents"],
        1,
        "{}",
        listed.body
    );

    // Filed into an Akte directly, even its own, it leaves the Vorgang;
    // moved to another Akte it leaves it too (and the move is not refused).
    let refile = |akte: i64| {
        let (app, clerk) = (&app, &clerk);
        async move {
            app.call(
                clerk,
                "bulk_documents",
                &format!("ids[0]={document}&action=file&value={akte}"),
            )
            .await
        }
    };
    let vorgang_of = || {
        sqlx::query_scalar::<_, Option<i64>>("SELECT vorgang_id FROM documents WHERE id = ?")
            .bind(document)
            .fetch_one(&app.state.pool)
    };
    let reply = refile(first).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(vorgang_of().await.expect("read"), None);
    file(first)
        .execute(&app.state.pool)
        .await
        .expect("back into the Vorgang");
    let reply = refile(second).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(vorgang_of().await.expect("read"), None);
}

fn id(reply: &crate::common::Reply) -> i64 {
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()["id"].as_i64().expect("id")
}

#[tokio::test]
async fn documents_go_into_a_vorgang_by_upload_and_by_moving_and_are_listed_there() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let akte = app
        .open_akte(&clerk, "621.1", "Bauantrag Hofmann", "2026-12-01")
        .await;
    let vorgang = id(&open(&app, &clerk, akte, "Nachforderung Statik").await);

    // Dropped onto the Vorgang: filed in it and in its Akte.
    let reply = app
        .upload(
            &clerk,
            "Statik.txt",
            &format!("&vorgang={vorgang}"),
            b"Statische Berechnung",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let statik = id(&reply);
    let place: (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT akte_id, vorgang_id FROM documents WHERE id = ?")
            .bind(statik)
            .fetch_one(&app.state.pool)
            .await
            .expect("place");
    assert_eq!(place, (Some(akte), Some(vorgang)));

    // From the Posteingang through the picker, which finds the Vorgang.
    let letter = app
        .upload_ok(&clerk, "Anschreiben.txt", b"Anschreiben an den Bauherrn")
        .await;
    let targets = app
        .call(&clerk, "find_filing_targets", "query=Statik")
        .await;
    assert_eq!(targets.status, StatusCode::OK, "{}", targets.body);
    let found = targets.json();
    let target = found
        .as_array()
        .and_then(|all| all.iter().find(|t| t["vorgang"]["id"] == vorgang))
        .unwrap_or_else(|| panic!("the Vorgang is a target: {found}"));
    assert_eq!(target["vorgang"]["zeichen"], "ERB 621.1-0001/1");
    assert_eq!(target["akte"]["id"], akte);
    let reply = app
        .call(
            &clerk,
            "bulk_documents",
            &format!("ids[0]={letter}&action=file_vorgang&value={vorgang}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let listed = app
        .call(
            &clerk,
            "vorgang_documents",
            &format!("vorgang_id={vorgang}"),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let titles: Vec<String> = listed
        .json()
        .as_array()
        .map(|all| {
            all.iter()
                .map(|d| d["title"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(titles, ["Statik", "Anschreiben"]);
    let detail = app
        .call(&clerk, "get_document", &format!("id={letter}"))
        .await;
    assert_eq!(
        detail.json()["summary"]["vorgang"]["zeichen"],
        "ERB 621.1-0001/1",
        "{}",
        detail.body
    );
    let shown = app
        .call(&clerk, "get_vorgang", &format!("id={vorgang}"))
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(shown.json()["vorgang"]["documents"], 2);
    assert_eq!(shown.json()["akte"]["id"], akte);
    assert_eq!(shown.json()["may_change"], true);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'document_filed' AND details LIKE '%vorgang_id%'")
            .await,
        1
    );

    // Another municipality: the Vorgang answers like an unknown one,
    // everywhere, and nothing moves.
    let own = app
        .upload_ok(
            &michelstadt,
            "Eigenes.txt",
            b"Eigenes Schreiben aus Michelstadt",
        )
        .await;
    for (function, form) in [
        ("get_vorgang", "id={}".to_string()),
        ("vorgang_documents", "vorgang_id={}".to_string()),
        (
            "bulk_documents",
            format!("ids[0]={own}&action=file_vorgang&value={{}}"),
        ),
    ] {
        let foreign = app
            .call(
                &michelstadt,
                function,
                &form.replace("{}", &vorgang.to_string()),
            )
            .await;
        let unknown = app
            .call(&michelstadt, function, &form.replace("{}", "987654"))
            .await;
        assert_eq!(
            foreign.status,
            StatusCode::NOT_FOUND,
            "{function}: {}",
            foreign.body
        );
        assert_eq!(foreign.body, unknown.body, "{function}");
    }
    for target in [vorgang, 987_654] {
        let reply = app
            .upload(
                &michelstadt,
                "Fremd.txt",
                &format!("&vorgang={target}"),
                b"Fremdes Schreiben",
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.json()["code"], "not_found");
    }
    let found = app
        .call(&michelstadt, "find_filing_targets", "query=Statik")
        .await;
    assert_eq!(found.json(), serde_json::json!([]), "{}", found.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM documents WHERE vorgang_id = {vorgang}"
        ))
        .await,
        2
    );
    // Akte, Vorgang and document together: one place only.
    let reply = app
        .upload(
            &clerk,
            "Doppelt.txt",
            &format!("&akte={akte}&vorgang={vorgang}"),
            b"Doppelt",
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
}

#[tokio::test]
async fn zda_closes_a_vorgang_and_an_akte_closes_only_after_all_of_its_vorgaenge() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let akte = app
        .open_akte(&clerk, "621.1", "Bauantrag Seidel", "2026-11-02")
        .await;
    let vorgang = id(&open(&app, &clerk, akte, "Baugenehmigung").await);
    let document = app
        .upload(
            &clerk,
            "Antrag.txt",
            &format!("&vorgang={vorgang}"),
            b"Antrag",
        )
        .await;
    let document = id(&document);
    let close = |cookie: String, form: String| {
        let app = &app;
        async move { app.call(&cookie, "close_vorgang", &form).await }
    };

    // The Akte waits for its Vorgang; the message says what to do.
    let reply = app
        .call(
            &clerk,
            "close_akte",
            &format!("id={akte}&closed_on=2026-12-10"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("zu den Akten"));

    // Bad days and other municipalities change nothing.
    for day in ["2026-12-06", "gestern"] {
        let reply = close(clerk.clone(), format!("id={vorgang}&closed_on={day}")).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{day}: {}",
            reply.body
        );
    }
    let foreign = close(
        michelstadt.clone(),
        format!("id={vorgang}&closed_on=2026-12-08"),
    )
    .await;
    let unknown = close(michelstadt.clone(), "id=987654&closed_on=2026-12-08".into()).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    assert_eq!(foreign.body, unknown.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM vorgaenge WHERE id = {vorgang} AND status = 'open'"
        ))
        .await,
        1
    );

    // zdA: the retention runs from that day by the plan position's rule,
    // as for the Akte (621.1: years after Aktenschluss / Jahresende).
    let reply = close(clerk.clone(), format!("id={vorgang}&closed_on=2026-12-08")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let shown = app
        .call(&clerk, "get_vorgang", &format!("id={vorgang}"))
        .await
        .json();
    assert_eq!(shown["vorgang"]["status"], "Closed");
    assert_eq!(shown["vorgang"]["closed_on"], "2026-12-08");
    assert_eq!(shown["retention_until"], reply.json(), "{shown}");
    assert!(
        reply.json().as_str().is_some_and(|d| d > "2030-01-01"),
        "{}",
        reply.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'vorgang_closed'")
            .await,
        1
    );

    // Closed means finished: nothing is filed in, taken out or reopened.
    let reply = close(clerk.clone(), format!("id={vorgang}&closed_on=2026-12-09")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let reply = app
        .upload(
            &clerk,
            "Spaet.txt",
            &format!("&vorgang={vorgang}"),
            b"Zu spaet",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.json()["code"], "vorgang_closed");
    let inbox = app.upload_ok(&clerk, "Neu.txt", b"Neues Schreiben").await;
    for form in [
        format!("ids[0]={inbox}&action=file_vorgang&value={vorgang}"),
        format!("ids[0]={document}&action=file&value={akte}"),
    ] {
        let reply = app.call(&clerk, "bulk_documents", &form).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{form}: {}", reply.body);
    }
    let reply = app
        .call(
            &clerk,
            "set_vorgang_status",
            &format!("id={vorgang}&status=InProgress"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM documents WHERE vorgang_id = {vorgang}"
        ))
        .await,
        1
    );

    // The explorer counts the Akte's Vorgänge and the open ones.
    let explorer = app.call(&clerk, "load_explorer", "code=621.1").await.json();
    let listed = explorer["selected"]["akten"]
        .as_array()
        .and_then(|all| all.iter().find(|l| l["akte"]["id"] == akte).cloned())
        .unwrap_or_default();
    assert_eq!(listed["vorgaenge"], 1, "{explorer}");
    assert_eq!(listed["vorgaenge_open"], 0, "{explorer}");

    // The Akte now closes, but not before its last Vorgang did.
    let reply = app
        .call(
            &clerk,
            "close_akte",
            &format!("id={akte}&closed_on=2026-12-07"),
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
            &clerk,
            "close_akte",
            &format!("id={akte}&closed_on=2026-12-08"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
