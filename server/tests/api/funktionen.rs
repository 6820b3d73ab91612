//! Funktionen: a Laufweg step asked of a role of the municipality waits in
//! the Postkorb of everyone who holds it, and the first holder (or, during
//! an absence, a holder's deputy) answers for it; the Administration keeps
//! them within its municipality, and a Funktion a running Laufweg asks
//! stays.

use crate::common::TestApp;
use axum::http::StatusCode;

fn asked_ids(postkorb: &serde_json::Value) -> Vec<i64> {
    postkorb["asked"]
        .as_array()
        .map(|all| all.iter().filter_map(|a| a["step_id"].as_i64()).collect())
        .unwrap_or_default()
}

fn invalid(reply: crate::common::Reply) {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn a_step_asked_of_a_funktion_is_answered_by_the_first_holder() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.erb").await;
    let starter = app.login_demo("sachbearbeitung.erb").await;
    let (chef, chef_id) = app.colleague("chef.erb", "sachbearbeitung.erb").await;
    let (vize, vize_id) = app.colleague("vize.erb", "sachbearbeitung.erb").await;
    let (other, _) = app.colleague("andere.erb", "sachbearbeitung.erb").await;

    let funktion = app
        .call_ok(&admin, "save_funktion", "name=Bauamtsleitung")
        .await
        .as_i64()
        .expect("id");
    invalid(
        app.call(&admin, "save_funktion", "name=bauamtsleitung")
            .await,
    );
    // Without a holder it cannot be asked.
    let document = app
        .upload_ok(&starter, "Genehmigung.txt", b"Entwurf der Genehmigung")
        .await;
    let form = |document: i64, asked: &str| {
        format!(
            "document_id={document}&title=Genehmigung&steps[0][user_id]={asked}&steps[0][kind]=freigabe&steps[0][stage]=1"
        )
    };
    invalid(
        app.call(
            &starter,
            "start_laufweg",
            &form(document, &format!("f{funktion}")),
        )
        .await,
    );
    for holder in [chef_id, vize_id] {
        app.call_ok(
            &admin,
            "set_funktion_member",
            &format!("id={funktion}&user_id={holder}&member=true"),
        )
        .await;
    }
    // Only clerks of the own municipality hold it.
    let mic = app.user_id("sachbearbeitung.mic").await;
    invalid(
        app.call(
            &admin,
            "set_funktion_member",
            &format!("id={funktion}&user_id={mic}&member=true"),
        )
        .await,
    );
    let listed = app.call_ok(&admin, "load_funktionen", "").await;
    assert_eq!(listed["funktionen"][0]["name"], "Bauamtsleitung");
    assert_eq!(
        listed["funktionen"][0]["members"].as_array().map(Vec::len),
        Some(2)
    );

    let laufweg = app
        .call_ok(
            &starter,
            "start_laufweg",
            &form(document, &format!("f{funktion}")),
        )
        .await
        .as_i64()
        .expect("laufweg");
    // Both holders are asked; somebody else is not.
    let postkorb = app.call_ok(&chef, "load_postkorb", "").await;
    let step = asked_ids(&postkorb)[0];
    assert_eq!(postkorb["asked"][0]["funktion"], "Bauamtsleitung");
    assert_eq!(
        asked_ids(&app.call_ok(&vize, "load_postkorb", "").await),
        [step]
    );
    assert_eq!(app.call_ok(&vize, "comms_status", "").await["postkorb"], 1);
    assert!(asked_ids(&app.call_ok(&other, "load_postkorb", "").await).is_empty());
    let reply = app
        .call(
            &other,
            "answer_laufweg_step",
            &format!("step_id={step}&action=zustimmen&remark="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    // Asked in a running Laufweg, the Funktion stays.
    invalid(
        app.call(&admin, "remove_funktion", &format!("id={funktion}"))
            .await,
    );

    // The second holder approves: done for both.
    assert_eq!(
        app.call_ok(
            &vize,
            "answer_laufweg_step",
            &format!("step_id={step}&action=zustimmen&remark="),
        )
        .await,
        "Completed"
    );
    assert!(asked_ids(&app.call_ok(&chef, "load_postkorb", "").await).is_empty());
    let view = app
        .call_ok(
            &starter,
            "load_laufwege",
            &format!("document_id={document}"),
        )
        .await;
    let shown = &view["laufwege"][0]["steps"][0];
    assert_eq!(shown["person"], "Funktion Bauamtsleitung");
    assert_eq!(shown["answered_by"], "Kollegin vize.erb");
    assert!(shown["approved_sha256"].as_str().is_some());
    assert_eq!(view["laufwege"][0]["id"], laufweg);
    let answered_by: i64 = app
        .count(&format!(
            "SELECT answered_by FROM laufweg_schritte WHERE id = {step}"
        ))
        .await;
    assert_eq!(answered_by, vize_id);

    // During the only holder's absence, the deputy answers i. V.
    app.call_ok(
        &admin,
        "set_funktion_member",
        &format!("id={funktion}&user_id={vize_id}&member=false"),
    )
    .await;
    let today = app::time::iso_date(app::time::today());
    app.call_ok(
        &chef,
        "set_abwesenheit",
        &format!("absent_id={chef_id}&deputy_id={vize_id}&starts_on={today}&ends_on={today}&note="),
    )
    .await;
    let second = app
        .upload_ok(&starter, "Zweiter.txt", b"Zweiter Entwurf")
        .await;
    app.call_ok(
        &starter,
        "start_laufweg",
        &form(second, &format!("f{funktion}")),
    )
    .await;
    let step = asked_ids(
        &app.call_ok(&vize, "load_postkorb", &format!("fuer={chef_id}"))
            .await,
    )[0];
    app.call_ok(
        &vize,
        "answer_laufweg_step",
        &format!("step_id={step}&action=zustimmen&remark="),
    )
    .await;
    let actor: String = sqlx::query_scalar(
        "SELECT actor_name FROM audit_log WHERE action = 'laufweg_step_answered' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.state.pool)
    .await
    .expect("audit");
    assert_eq!(actor, "Kollegin vize.erb i. V. für Kollegin chef.erb");

    // Once nothing runs, it can be removed; then nobody can ask it.
    app.call_ok(&admin, "remove_funktion", &format!("id={funktion}"))
        .await;
    let third = app
        .upload_ok(&starter, "Dritter.txt", b"Dritter Entwurf")
        .await;
    invalid(
        app.call(
            &starter,
            "start_laufweg",
            &form(third, &format!("f{funktion}")),
        )
        .await,
    );
    // Another municipality's Funktion cannot be asked either.
    let obz = app.login_demo("admin.obz").await;
    let (_, obz_clerk) = app.colleague("leitung.obz", "sachbearbeitung.obz").await;
    let foreign = app
        .call_ok(&obz, "save_funktion", "name=Bürgermeister")
        .await
        .as_i64()
        .expect("id");
    app.call_ok(
        &obz,
        "set_funktion_member",
        &format!("id={foreign}&user_id={obz_clerk}&member=true"),
    )
    .await;
    invalid(
        app.call(
            &starter,
            "start_laufweg",
            &form(third, &format!("f{foreign}")),
        )
        .await,
    );
}
