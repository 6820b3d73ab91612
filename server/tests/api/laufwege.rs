//! Laufwege: a sequential and a parallel stage ending in a Freigabe bound
//! to the version's hash (and a new version that needs a new one), a
//! refusal sending it back, withdrawal, and nothing across municipalities.

use crate::common::TestApp;
use axum::http::StatusCode;

/// The form of `start_laufweg`: (user, kind, stage) per step.
fn start_form(document: i64, title: &str, steps: &[(i64, &str, i64)]) -> String {
    let mut form = format!("document_id={document}&title={title}");
    for (i, (user, kind, stage)) in steps.iter().enumerate() {
        form.push_str(&format!(
            "&steps[{i}][user_id]={user}&steps[{i}][kind]={kind}&steps[{i}][stage]={stage}"
        ));
    }
    form
}

/// The step asking `cookie`'s person now, from their Postkorb.
async fn asked(app: &TestApp, cookie: &str) -> Vec<i64> {
    app.call_ok(cookie, "load_postkorb", "").await["asked"]
        .as_array()
        .map(|all| all.iter().filter_map(|a| a["step_id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn answer(
    app: &TestApp,
    cookie: &str,
    step: i64,
    action: &str,
    remark: &str,
) -> serde_json::Value {
    app.call_ok(
        cookie,
        "answer_laufweg_step",
        &format!("step_id={step}&action={action}&remark={remark}"),
    )
    .await
}

#[tokio::test]
async fn stages_run_in_order_and_the_freigabe_is_bound_to_the_version_it_approved() {
    let app = TestApp::demo().await;
    let starter = app.login_demo("sachbearbeitung.erb").await;
    let (anna, anna_id) = app.colleague("anna.erb", "sachbearbeitung.erb").await;
    let (bernd, bernd_id) = app.colleague("bernd.erb", "sachbearbeitung.erb").await;
    let (clara, clara_id) = app.colleague("clara.erb", "sachbearbeitung.erb").await;
    let (chef, chef_id) = app.colleague("leitung.erb", "sachbearbeitung.erb").await;
    let document = app
        .upload_ok(
            &starter,
            "Antwortentwurf.txt",
            b"Sehr geehrte Familie Brenner, ...",
        )
        .await;
    let sha1: String =
        sqlx::query_scalar("SELECT sha256 FROM document_versions WHERE document_id = ?")
            .bind(document)
            .fetch_one(&app.state.pool)
            .await
            .expect("hash");

    // Anna first; then Bernd and Clara side by side; then the Freigabe.
    let form = start_form(
        document,
        "Antwort%20an%20Familie%20Brenner",
        &[
            (anna_id, "mitzeichnung", 1),
            (bernd_id, "mitzeichnung", 2),
            (clara_id, "kenntnis", 2),
            (chef_id, "freigabe", 3),
        ],
    );
    app.call_ok(&starter, "start_laufweg", &form).await;
    assert_eq!(asked(&app, &anna).await.len(), 1);
    assert!(asked(&app, &bernd).await.is_empty(), "stage 2 waits");
    assert_eq!(app.call_ok(&anna, "comms_status", "").await["postkorb"], 1);

    let step = asked(&app, &anna).await[0];
    // Kenntnis is not an answer to a Mitzeichnung; nothing changes.
    let reply = app
        .call(
            &anna,
            "answer_laufweg_step",
            &format!("step_id={step}&action=kenntnis&remark="),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(answer(&app, &anna, step, "zustimmen", "").await, "Open");
    assert!(asked(&app, &anna).await.is_empty());
    // Answered once only.
    let reply = app
        .call(
            &anna,
            "answer_laufweg_step",
            &format!("step_id={step}&action=zustimmen&remark="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);

    let bernd_step = asked(&app, &bernd).await[0];
    let clara_step = asked(&app, &clara).await[0];
    // Another person cannot answer Bernd's step: it answers like an unknown one.
    let foreign = app
        .call(
            &clara,
            "answer_laufweg_step",
            &format!("step_id={bernd_step}&action=zustimmen&remark="),
        )
        .await;
    let unknown = app
        .call(
            &clara,
            "answer_laufweg_step",
            "step_id=987654&action=zustimmen&remark=",
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    assert_eq!(foreign.body, unknown.body);
    answer(
        &app,
        &bernd,
        bernd_step,
        "anmerkung",
        "Bitte%20die%20Frist%20nennen",
    )
    .await;
    assert!(
        asked(&app, &chef).await.is_empty(),
        "Clara has not answered yet"
    );
    answer(&app, &clara, clara_step, "kenntnis", "").await;
    let chef_step = asked(&app, &chef).await[0];
    assert_eq!(
        answer(&app, &chef, chef_step, "zustimmen", "").await,
        "Completed"
    );

    let shown = app
        .call_ok(
            &starter,
            "load_laufwege",
            &format!("document_id={document}"),
        )
        .await;
    assert_eq!(shown["approved"], serde_json::json!([1, sha1]), "{shown}");
    let laufweg = &shown["laufwege"][0];
    assert_eq!(laufweg["status"], "Completed");
    let states: Vec<&str> = laufweg["steps"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["state"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(states, ["Agreed", "AgreedWithRemark", "Noted", "Agreed"]);
    assert_eq!(laufweg["steps"][1]["remark"], "Bitte die Frist nennen");
    assert_eq!(laufweg["steps"][3]["approved_sha256"], sha1.as_str());

    // A later edit is a new version that the Freigabe does not cover.
    let reply = app
        .upload(
            &starter,
            "Antwortentwurf.txt",
            &format!("&dokument={document}"),
            b"Sehr geehrte Familie Brenner, neu",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let shown = app
        .call_ok(
            &starter,
            "load_laufwege",
            &format!("document_id={document}"),
        )
        .await;
    assert_eq!(shown["newest_version"], 2);
    assert_eq!(shown["approved"][0], 1, "still only version 1 is approved");
    // The whole Laufweg goes into the record as CSV, answers and hashes included.
    let csv = app
        .get(
            &format!("/dokumente/{document}/laufwege.csv"),
            Some(&starter),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 5, "{}", csv.body);
    assert!(
        lines[0].starts_with("Laufweg;Stand;Begonnen von"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].contains("mit Anmerkung zugestimmt;Bitte die Frist nennen"),
        "{}",
        lines[2]
    );
    // The Freigabe's row ends with the hash it approved.
    assert!(
        lines[4].contains("zur Freigabe;zugestimmt;;"),
        "{}",
        lines[4]
    );
    assert!(lines[4].ends_with(&format!(";{sha1}")), "{}", lines[4]);
    let foreign = app.login_demo("sachbearbeitung.mic").await;
    for id in [document, 987_654] {
        let reply = app
            .get(&format!("/dokumente/{id}/laufwege.csv"), Some(&foreign))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    }
    for action in ["laufweg_started", "laufweg_completed"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'laufweg_step_answered'")
            .await,
        4
    );
}

#[tokio::test]
async fn a_refusal_sends_the_laufweg_back_and_the_rest_is_never_asked() {
    let app = TestApp::demo().await;
    let starter = app.login_demo("sachbearbeitung.erb").await;
    let (anna, anna_id) = app.colleague("anna.erb", "sachbearbeitung.erb").await;
    let (chef, chef_id) = app.colleague("leitung.erb", "sachbearbeitung.erb").await;
    let document = app.upload_ok(&starter, "Bescheid.txt", b"Bescheid").await;
    app.call_ok(
        &starter,
        "start_laufweg",
        &start_form(
            document,
            "Bescheid",
            &[(anna_id, "mitzeichnung", 1), (chef_id, "freigabe", 2)],
        ),
    )
    .await;
    let step = asked(&app, &anna).await[0];
    // A refusal needs its reason.
    let reply = app
        .call(
            &anna,
            "answer_laufweg_step",
            &format!("step_id={step}&action=ablehnen&remark=%20"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        answer(
            &app,
            &anna,
            step,
            "ablehnen",
            "Rechtsbehelfsbelehrung%20fehlt"
        )
        .await,
        "Returned"
    );
    assert!(asked(&app, &chef).await.is_empty(), "never asked");
    let postkorb = app.call_ok(&starter, "load_postkorb", "").await;
    let returned = &postkorb["returned"][0];
    assert_eq!(returned["reason"], "Rechtsbehelfsbelehrung fehlt");
    assert_eq!(returned["refused_by"], "Kollegin anna.erb");
    assert_eq!(
        app.call_ok(&starter, "comms_status", "").await["postkorb"],
        1
    );
    let id = returned["id"].as_i64().expect("id");
    app.call_ok(&starter, "laufweg_return_seen", &format!("id={id}"))
        .await;
    assert_eq!(
        app.call_ok(&starter, "load_postkorb", "").await["returned"],
        serde_json::json!([])
    );
    let shown = app
        .call_ok(
            &starter,
            "load_laufwege",
            &format!("document_id={document}"),
        )
        .await;
    assert_eq!(shown["laufwege"][0]["steps"][1]["state"], "Skipped");
    assert_eq!(shown["approved"], serde_json::Value::Null);
}

#[tokio::test]
async fn laufwege_stay_in_their_municipality_and_only_the_starter_withdraws() {
    let app = TestApp::demo().await;
    let starter = app.login_demo("sachbearbeitung.erb").await;
    let (anna, anna_id) = app.colleague("anna.erb", "sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let mic_id = app.user_id("sachbearbeitung.mic").await;
    let document = app.upload_ok(&starter, "Entwurf.txt", b"Entwurf").await;

    // Someone of another municipality cannot be asked; nothing is written.
    let reply = app
        .call(
            &starter,
            "start_laufweg",
            &start_form(document, "Entwurf", &[(mic_id, "freigabe", 1)]),
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
            &starter,
            "start_laufweg",
            &format!("document_id={document}&title=Leer"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM laufwege").await, 0);
    // Another municipality's document answers like an unknown one.
    for id in [document, 987_654] {
        for (function, form) in [
            ("load_laufwege", format!("document_id={id}")),
            (
                "start_laufweg",
                start_form(id, "Fremd", &[(mic_id, "freigabe", 1)]),
            ),
        ] {
            let reply = app.call(&michelstadt, function, &form).await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{function}: {}",
                reply.body
            );
        }
    }

    let laufweg = app
        .call_ok(
            &starter,
            "start_laufweg",
            &start_form(document, "Entwurf", &[(anna_id, "freigabe", 1)]),
        )
        .await;
    for cookie in [&anna, &michelstadt] {
        let reply = app
            .call(cookie, "withdraw_laufweg", &format!("id={laufweg}"))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    }
    app.call_ok(&starter, "withdraw_laufweg", &format!("id={laufweg}"))
        .await;
    assert!(
        asked(&app, &anna).await.is_empty(),
        "withdrawn: nobody is asked"
    );
    let shown = app
        .call_ok(
            &starter,
            "load_laufwege",
            &format!("document_id={document}"),
        )
        .await;
    assert_eq!(shown["laufwege"][0]["status"], "Cancelled");
    // Destroying the document takes its Laufwege along.
    app.call_ok(
        &starter,
        "bulk_documents",
        &format!("ids[0]={document}&action=trash&value="),
    )
    .await;
    let admin = app.login_demo("admin.erb").await;
    app.call_ok(&admin, "empty_trash", "").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM laufwege").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM laufweg_schritte").await, 0);
}
