//! Tours and the training record through their server functions: who may
//! edit, that an edit is what the next person sees, German validation
//! messages, the record of started, finished and skipped tours, and the
//! offer to new people.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Reply, TestApp, ORIGIN};
use serde_json::{json, Value};

/// `save_tour` takes JSON (a tour with its steps).
async fn save(app: &TestApp, cookie: &str, tour: &Value) -> Reply {
    let request = Request::post("/api/save_tour")
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "tour": tour }).to_string()))
        .expect("request");
    app.send(request).await
}

async fn editor_tours(app: &TestApp, cookie: &str) -> Vec<Value> {
    let reply = app.call(cookie, "tour_editor", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["tours"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn titled<'a>(tours: &'a [Value], title: &str) -> &'a Value {
    tours
        .iter()
        .find(|t| t["title"] == title)
        .unwrap_or_else(|| panic!("no tour {title}"))
}

#[tokio::test]
async fn only_the_project_team_edits_tours_and_sees_everybodys_record() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let tours = editor_tours(&app, &team).await;
    assert_eq!(tours.len(), 7);
    let first = tours[0].clone();
    for username in ["sachbearbeitung.mic", "admin.mic", "schulung.erb"] {
        let cookie = app.login_demo(username).await;
        for (function, form) in [
            ("tour_editor", ""),
            ("delete_tour", "id=1"),
            ("training_overview", ""),
        ] {
            let reply = app.call(&cookie, function, form).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username} {function}");
        }
        let reply = save(&app, &cookie, &first).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username} save_tour");
        // Everybody reads their own record.
        let reply = app.call(&cookie, "load_training_page", "").await;
        assert_eq!(reply.status, StatusCode::OK, "{username}: {}", reply.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tours WHERE deleted = 1")
            .await,
        0
    );
    let reply = app.call(&team, "training_overview", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Without a session nothing at all.
    let reply = app.post_form("/api/load_tour_state", None, "").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_step_edited_in_the_editor_is_what_the_next_person_sees() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let tours = editor_tours(&app, &team).await;
    let mut tour = titled(&tours, "Dokument hochladen und ablegen").clone();
    let id = tour["id"].as_i64().expect("id");
    tour["steps"][2]["text"] = json!("Ziehen Sie jetzt die Datei in das Feld – neu formuliert.");
    let reply = save(&app, &team, &tour).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json(), json!(id));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'tour_changed'")
            .await,
        1
    );

    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .call(&clerk, "start_tour", &format!("tour_id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.json()["tour"]["steps"][2]["text"],
        "Ziehen Sie jetzt die Datei in das Feld – neu formuliert."
    );
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert_eq!(state["active"]["tour"]["id"], json!(id));
    assert_eq!(
        state["active"]["tour"]["steps"][2]["text"],
        "Ziehen Sie jetzt die Datei in das Feld – neu formuliert."
    );

    // A new tour, then deleted: gone from the lists, kept in the audit log.
    let new = json!({
        "id": 0, "title": "Papierkorb", "description": "", "roles": ["Sachbearbeitung"],
        "auto_offer": false, "position": 60,
        "steps": [{ "page": "/", "anchor": "hauptnavigation", "title": "Navigation",
                    "text": "Der Papierkorb steht in der Navigation.", "wait_for": "Nothing" }]
    });
    let reply = save(&app, &team, &new).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let new_id = reply.json().as_i64().expect("id");
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert!(state["available"]
        .as_array()
        .is_some_and(|a| a.iter().any(|t| t["id"] == json!(new_id))));
    let reply = app
        .call(&team, "delete_tour", &format!("id={new_id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert!(state["available"]
        .as_array()
        .is_some_and(|a| a.iter().all(|t| t["id"] != json!(new_id))));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('tour_created', 'tour_deleted')"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn unknown_anchors_and_empty_texts_are_refused_in_german() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let tours = editor_tours(&app, &team).await;
    let original = titled(&tours, "Suchen und finden").clone();

    let mut tour = original.clone();
    tour["steps"][1]["anchor"] = json!("gibt-es-nicht");
    let reply = save(&app, &team, &tour).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = reply.json()["message"].as_str().unwrap_or("").to_string();
    assert!(message.starts_with("Schritt 2: "), "{message}");
    assert!(message.contains("„gibt-es-nicht“"), "{message}");

    let mut tour = original.clone();
    tour["steps"][0]["anchor"] = json!("upload-bereich");
    let reply = save(&app, &team, &tour).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("gibt es nicht auf der Seite „Startseite“")));

    let mut tour = original.clone();
    tour["steps"][0]["title"] = json!("   ");
    let reply = save(&app, &team, &tour).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The header search exists for clerks (and trainees, who practise as
    // clerks) only; administrators cannot be sent there.
    let mut tour = original.clone();
    tour["roles"] = json!(["Sachbearbeitung", "Administration"]);
    let reply = save(&app, &team, &tour).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("nicht: Administration")));

    // Nothing of it was stored.
    assert_eq!(
        titled(&editor_tours(&app, &team).await, "Suchen und finden"),
        &original
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'tour_changed'")
            .await,
        0
    );
}

#[tokio::test]
async fn the_record_keeps_started_finished_and_skipped_runs_per_person() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.obz").await;
    let other = app.login_demo("sachbearbeitung.bro").await;
    let run = |reply: Reply| {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()["run_id"].as_i64().expect("run id")
    };
    // Everyone only gets the tours of their role: the upload tour is for
    // clerks and trainees, not for administrators.
    let admin = app.login_demo("admin.obz").await;
    let reply = app.call(&admin, "start_tour", "tour_id=2").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let first = run(app.call(&clerk, "start_tour", "tour_id=1").await);
    let reply = app
        .call(&clerk, "move_tour", &format!("run_id={first}&from=0&to=1"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // A second tab still on step 1 cannot move it twice.
    let reply = app
        .call(&clerk, "move_tour", &format!("run_id={first}&from=0&to=1"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    // Steps go one at a time.
    let reply = app
        .call(&clerk, "move_tour", &format!("run_id={first}&from=1&to=3"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    // Nobody moves or ends somebody else's run.
    let reply = app
        .call(&other, "move_tour", &format!("run_id={first}&from=1&to=2"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = app
        .call(&other, "end_tour", &format!("run_id={first}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The reload restores step 2.
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert_eq!(state["active"]["step"], json!(1));
    assert_eq!(state["offer"], json!([]));
    let reply = app
        .call(&clerk, "end_tour", &format!("run_id={first}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    // The upload tour from start to end.
    let second = run(app.call(&clerk, "start_tour", "tour_id=2").await);
    for step in 0..6 {
        let reply = app
            .call(
                &clerk,
                "move_tour",
                &format!("run_id={second}&from={step}&to={}", step + 1),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let expected = if step == 5 { "Finished" } else { "Running" };
        assert_eq!(reply.json(), json!(expected));
    }
    // A third, left running when the fourth starts: recorded as skipped.
    run(app.call(&clerk, "start_tour", "tour_id=3").await);
    let fourth = run(app.call(&clerk, "start_tour", "tour_id=4").await);
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert_eq!(state["active"]["run_id"], json!(fourth));

    let page = app.call(&clerk, "load_training_page", "").await.json();
    let runs = page["runs"].as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 4);
    let status_of = |tour: i64| {
        runs.iter()
            .find(|r| r["tour_id"] == json!(tour))
            .map(|r| (r["status"].clone(), r["step"].clone()))
    };
    assert_eq!(status_of(1), Some((json!("Skipped"), json!(2))));
    assert_eq!(status_of(2), Some((json!("Finished"), json!(6))));
    assert_eq!(status_of(3), Some((json!("Skipped"), json!(1))));
    assert_eq!(status_of(4), Some((json!("Running"), json!(1))));
    assert_eq!(page["may_edit"], json!(false));
    // The other clerk's record is their own (empty).
    let page = app.call(&other, "load_training_page", "").await.json();
    assert_eq!(page["runs"], json!([]));

    // The project team sees it per municipality and role, and per person.
    let team = app.login_demo("projekt.mic").await;
    let overview = app
        .call(&team, "training_overview", "municipality=3")
        .await
        .json();
    let groups = overview["groups"].as_array().cloned().unwrap_or_default();
    assert!(groups.iter().all(|g| g["municipality"] == "Oberzent"));
    let clerks = groups
        .iter()
        .find(|g| g["role"] == "Sachbearbeitung")
        .expect("clerks of Oberzent");
    let counts = |title: &str| {
        clerks["tours"]
            .as_array()
            .and_then(|t| t.iter().find(|c| c["tour_title"] == title).cloned())
            .expect("counted")
    };
    let upload = counts("Dokument hochladen und ablegen");
    assert_eq!(
        (
            upload["started"].clone(),
            upload["finished"].clone(),
            upload["skipped"].clone()
        ),
        (json!(1), json!(1), json!(0))
    );
    let first_steps = counts("Erste Schritte");
    assert_eq!(first_steps["skipped"], json!(1));
    let person = overview["people"]
        .as_array()
        .and_then(|p| {
            p.iter()
                .find(|p| p["username"] == "sachbearbeitung.obz")
                .cloned()
        })
        .expect("person");
    assert_eq!(person["runs"].as_array().map(Vec::len), Some(4));
    let all = app.call(&team, "training_overview", "").await.json();
    assert!(all["groups"]
        .as_array()
        .is_some_and(|g| g.iter().any(|g| g["municipality"] == "Michelstadt")));
}

#[tokio::test]
async fn new_people_are_offered_tours_until_they_answer_or_start_one() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let offer = |state: &Value| -> Vec<String> {
        state["offer"]
            .as_array()
            .map(|o| {
                o.iter()
                    .filter_map(|t| t["title"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert_eq!(
        offer(&state),
        ["Erste Schritte", "Dokument hochladen und ablegen"]
    );
    assert_eq!(state["available"].as_array().map(Vec::len), Some(7));
    // Trainees practise as clerks and are offered the same.
    let trainee = app.login_demo("schulung.erb").await;
    let state = app.call(&trainee, "load_tour_state", "").await.json();
    assert_eq!(
        offer(&state),
        ["Erste Schritte", "Dokument hochladen und ablegen"]
    );
    let admin = app.login_demo("admin.erb").await;
    let state = app.call(&admin, "load_tour_state", "").await.json();
    assert_eq!(offer(&state), ["Erste Schritte"]);

    // "Später": gone for now, back at the next sign-in.
    let reply = app.call(&clerk, "answer_tour_offer", "never=false").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert!(offer(&state).is_empty());
    sqlx::query("UPDATE tour_offer_answers SET answered_at = answered_at - 60")
        .execute(&app.state.pool)
        .await
        .expect("earlier answer");
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert_eq!(offer(&state).len(), 2);

    // "Nicht mehr anbieten" is final.
    app.call(&clerk, "answer_tour_offer", "never=true").await;
    sqlx::query("UPDATE tour_offer_answers SET answered_at = answered_at - 60")
        .execute(&app.state.pool)
        .await
        .expect("earlier answer");
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let state = app.call(&clerk, "load_tour_state", "").await.json();
    assert!(offer(&state).is_empty());
    // The help menu still has every tour.
    assert_eq!(state["available"].as_array().map(Vec::len), Some(7));

    // Whoever started a tour is not asked any more.
    app.call(&trainee, "start_tour", "tour_id=1").await;
    let run: i64 =
        sqlx::query_scalar("SELECT id FROM tour_runs WHERE tour_id = 1 ORDER BY id DESC")
            .fetch_one(&app.state.pool)
            .await
            .expect("run");
    app.call(&trainee, "end_tour", &format!("run_id={run}"))
        .await;
    let state = app.call(&trainee, "load_tour_state", "").await.json();
    assert!(offer(&state).is_empty());
}
