//! Coordinated plan changes: propose, decide, publish, and what the
//! published version changes for everybody.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;

fn propose(kind: &str, position: &str, new_code: &str, title: &str) -> String {
    // The proposal travels as one struct argument: `proposal[field]=value`.
    [
        ("kind", kind),
        ("position_code", position),
        ("new_code", new_code),
        ("title", title),
        ("description", ""),
        ("keywords", ""),
        ("retention", "10"),
        ("trigger", "Aktenschluss"),
        ("appraisal", "B"),
        ("justification", "Wird+von+allen+vier+Gemeinden+gebraucht"),
    ]
    .iter()
    .map(|(field, value)| format!("proposal%5B{field}%5D={value}"))
    .collect::<Vec<_>>()
    .join("&")
}

#[tokio::test]
async fn staff_propose_project_team_decides_and_publishes_a_version() {
    let app = TestApp::demo().await;
    let staff = app.login_demo("sachbearbeitung.erb").await;
    let team = app.login_demo("projekt.mic").await;

    let reply = app
        .call(
            &staff,
            "propose_change",
            &propose("rename", "621.3", "", "Einvernehmen der Gemeinde"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let rename = reply.json().as_i64().expect("id");
    let reply = app
        .call(&staff, "propose_change", &propose("move", "624", "625", ""))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let moving = reply.json().as_i64().expect("id");

    // Staff cannot decide or publish.
    let reply = app
        .call(
            &staff,
            "decide_proposal",
            &format!("proposal_id={rename}&approve=true&note="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.call(&staff, "publish_plan", "title=X&notes=").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let reply = app
        .call(
            &team,
            "comment_proposal",
            &format!("proposal_id={moving}&text=Passt+besser+ans+Ende"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    for id in [rename, moving] {
        let reply = app
            .call(
                &team,
                "decide_proposal",
                &format!("proposal_id={id}&approve=true&note=einverstanden"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let reply = app
        .call(
            &team,
            "decide_proposal",
            &format!("proposal_id={rename}&approve=false&note="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "decided once only");

    let reply = app
        .call(
            &team,
            "publish_plan",
            "title=Aktenplan+2027&notes=Zwei+Änderungen",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json(), 2);

    // Everybody sees the new version at once.
    let explorer = app.call(&staff, "load_explorer", "code=621.3").await;
    assert_eq!(
        explorer.json()["selected"]["title"],
        "Einvernehmen der Gemeinde"
    );
    let explorer = app.call(&staff, "load_explorer", "code=625.1").await;
    assert_eq!(
        explorer.json()["selected"]["title"],
        "Denkmalrechtliche Genehmigungen"
    );
    // The old code still resolves to the moved position.
    let explorer = app.call(&staff, "load_explorer", "code=624.1").await;
    assert_eq!(
        explorer.json()["selected"]["code"],
        "625.1",
        "{}",
        explorer.body
    );
    assert_eq!(explorer.json()["moved_from"], "624.1");

    let releases = app.call(&staff, "list_releases", "").await;
    let latest = releases.json()[0].clone();
    assert_eq!(latest["version"], 2);
    let changes: Vec<String> = latest["changes"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|l| l.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes[0].starts_with("Umbenannt: 621.3"));
    assert!(
        changes[1].contains("624")
            && changes[1].contains("625")
            && changes[1].contains("Unterpositionen")
    );

    let data = app.call(&staff, "load_abstimmung", "").await;
    let statuses: Vec<String> = data.json()["proposals"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|x| x["status"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert!(statuses.iter().all(|s| s == "Published"), "{statuses:?}");
    for action in [
        "plan_change_proposed",
        "plan_change_approved",
        "plan_change_commented",
        "plan_published",
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await;
        assert!(n >= 1, "{action}");
    }
}

#[tokio::test]
async fn a_position_with_open_akten_cannot_be_deactivated() {
    let app = TestApp::demo().await;
    let staff = app.login_demo("sachbearbeitung.obz").await;
    app.open_akte(&staff, "621.2", "Freistellung", "2026-11-25")
        .await;
    let before = app.count("SELECT COUNT(*) FROM plan_proposals").await;
    let reply = app
        .call(
            &staff,
            "propose_change",
            &propose("deactivate", "621.2", "", ""),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("offene Akten"), "{}", reply.body);
    let reply = app
        .call(
            &staff,
            "propose_change",
            &propose("move", "621.2", "621.1", ""),
        )
        .await;
    assert!(reply.body.contains("bereits vergeben"), "{}", reply.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_proposals").await,
        before
    );
}

#[tokio::test]
async fn admins_and_trainees_do_not_change_the_plan() {
    let app = TestApp::demo().await;
    // Trainees propose in their practice area only (issue 6): the proposal
    // is accepted there, and the project team never sees it.
    for (user, expected) in [
        ("admin.mic", StatusCode::FORBIDDEN),
        ("schulung.erb", StatusCode::OK),
    ] {
        let cookie = app.login_demo(user).await;
        let reply = app
            .call(
                &cookie,
                "propose_change",
                &propose("rename", "621.3", "", "X"),
            )
            .await;
        assert_eq!(reply.status, expected, "{user}");
        let reply = app.call(&cookie, "publish_plan", "title=X&notes=").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{user}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM plan_proposals WHERE practice_municipality_id IS NULL")
            .await,
        0
    );
    // Nothing approved: the project team cannot publish an empty version.
    let team = app.login_demo("projekt.erb").await;
    let reply = app.call(&team, "load_abstimmung", "").await;
    assert_eq!(reply.json()["proposals"], serde_json::json!([]));
    let reply = app.call(&team, "publish_plan", "title=Leer&notes=").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}
