//! Vertretung: during an absence, and only then, the deputy sees the
//! absent colleague's Postkorb and acts for them, recorded "i. V." with
//! both names; absences are entered by the person or their
//! Administration, within one municipality; the deputy never sees what the
//! absent person could not (their practice area).

use crate::common::TestApp;
use app::time::test_clock::Clock;
use axum::http::StatusCode;

fn berlin(year: i32, month: u32, day: u32, hour: u32) -> i64 {
    use chrono::TimeZone;
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(year, month, day, hour, 0, 0)
        .earliest()
        .expect("a time in Berlin")
        .timestamp()
}

fn ids(list: &serde_json::Value, key: &str) -> Vec<i64> {
    list.as_array()
        .map(|all| all.iter().filter_map(|x| x[key].as_i64()).collect())
        .unwrap_or_default()
}

/// The newest audit entry of an action: who is named and the details.
async fn last_entry(app: &TestApp, action: &str) -> (String, serde_json::Value) {
    let (actor, details): (String, String) = sqlx::query_as(
        "SELECT actor_name, details FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(action)
    .fetch_one(&app.state.pool)
    .await
    .expect("audit entry");
    (actor, serde_json::from_str(&details).expect("details"))
}

#[tokio::test]
async fn the_deputy_acts_for_the_absent_colleague_only_during_the_absence() {
    let app = TestApp::demo().await;
    // Monday 3 May 2027.
    let clock = Clock::at(berlin(2027, 5, 3, 9));
    let anna = app.login_demo("sachbearbeitung.erb").await;
    let anna_id = app.user_id("sachbearbeitung.erb").await;
    let (berta, berta_id) = app.colleague("berta.erb", "sachbearbeitung.erb").await;
    let (carla, _) = app.colleague("carla.erb", "sachbearbeitung.erb").await;

    // Carla asks Anna to co-sign, brings a document back to her on
    // Tuesday and hands her another one.
    let draft = app
        .upload_ok(
            &carla,
            "Antwortentwurf.txt",
            b"Sehr geehrte Damen und Herren",
        )
        .await;
    app.call_ok(
        &carla,
        "start_laufweg",
        &format!(
            "document_id={draft}&title=Antwort&steps[0][user_id]={anna_id}&steps[0][kind]=mitzeichnung&steps[0][stage]=1"
        ),
    )
    .await;
    let wv = app
        .call_ok(
            &carla,
            "set_wiedervorlage",
            &format!(
                "kind=dokument&id={draft}&for_user_id={anna_id}&due_on=2027-05-04&reason=Frist"
            ),
        )
        .await
        .as_i64()
        .expect("id");
    let letter = app.upload_ok(&carla, "Brief.txt", b"Ein Brief").await;
    let zuweisung = app
        .call_ok(
            &carla,
            "assign_to",
            &format!("kind=dokument&id={letter}&to_user_id={anna_id}&note=Bitte%20beantworten"),
        )
        .await
        .as_i64()
        .expect("id");

    // Anna is away Tuesday to Thursday; Berta stands in.
    app.call_ok(
        &anna,
        "set_abwesenheit",
        &format!(
            "absent_id={anna_id}&deputy_id={berta_id}&starts_on=2027-05-04&ends_on=2027-05-06&note=Urlaub"
        ),
    )
    .await;
    let page = app.call_ok(&berta, "load_abwesenheiten", "").await;
    assert_eq!(ids(&page["deputising"], "absent_id"), [anna_id]);
    assert_eq!(page["deputising"][0]["current"], false);

    // Before the absence: nothing of Anna's is Berta's.
    let step = ids(
        &app.call_ok(&anna, "load_postkorb", "").await["asked"],
        "step_id",
    )[0];
    let refused = |reply: crate::common::Reply| {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    };
    refused(
        app.call(&berta, "load_postkorb", &format!("fuer={anna_id}"))
            .await,
    );
    refused(
        app.call(
            &berta,
            "answer_laufweg_step",
            &format!("step_id={step}&action=zustimmen&remark="),
        )
        .await,
    );
    refused(
        app.call(&berta, "finish_assignment", &format!("id={zuweisung}"))
            .await,
    );
    assert_eq!(
        app.call_ok(&berta, "load_postkorb", "").await["vertreten"],
        serde_json::json!([])
    );

    // Tuesday: Berta sees Anna's Postkorb, counted in her navigation.
    clock.set(berlin(2027, 5, 4, 8));
    let berta = app.login_demo("berta.erb").await;
    let carla = app.login_demo("carla.erb").await;
    let own = app.call_ok(&berta, "load_postkorb", "").await;
    assert_eq!(ids(&own["vertreten"], "user_id"), [anna_id]);
    assert_eq!(own["vertreten"][0]["waiting"], 3, "{own}");
    assert_eq!(own["vertreten"][0]["until"], "2027-05-06");
    assert_eq!(app.call_ok(&berta, "comms_status", "").await["postkorb"], 3);
    let hers = app
        .call_ok(&berta, "load_postkorb", &format!("fuer={anna_id}"))
        .await;
    assert!(
        hers["owner"].as_str().is_some_and(|o| !o.is_empty()),
        "{hers}"
    );
    assert_eq!(ids(&hers["due"], "id"), [wv]);
    assert_eq!(ids(&hers["assigned"], "id"), [zuweisung]);
    assert_eq!(ids(&hers["asked"], "step_id"), [step]);
    let laufwege = app
        .call_ok(&berta, "load_laufwege", &format!("document_id={draft}"))
        .await;
    assert_eq!(laufwege["laufwege"][0]["steps"][0]["mine"], true);

    // She answers, settles and finishes in Anna's name, i. V.
    assert_eq!(
        app.call_ok(
            &berta,
            "answer_laufweg_step",
            &format!("step_id={step}&action=anmerkung&remark=Bitte%20Frist%20nennen"),
        )
        .await,
        "Completed"
    );
    let (actor, details) = last_entry(&app, "laufweg_step_answered").await;
    assert!(
        actor.starts_with("Kollegin berta.erb i. V. für "),
        "{actor}"
    );
    assert_eq!(details["in_vertretung_fuer"]["user_id"], anna_id);
    let step_view = &app
        .call_ok(&carla, "load_laufwege", &format!("document_id={draft}"))
        .await["laufwege"][0]["steps"][0];
    assert_eq!(step_view["answered_by"], "Kollegin berta.erb i. V.");
    app.call_ok(
        &berta,
        "settle_wiedervorlage",
        &format!("id={wv}&action=erledigt&due_on="),
    )
    .await;
    let (actor, details) = last_entry(&app, "wiedervorlage_done").await;
    assert!(actor.contains(" i. V. für "), "{actor}");
    assert_eq!(details["in_vertretung_fuer"]["user_id"], anna_id);
    app.call_ok(&berta, "finish_assignment", &format!("id={zuweisung}"))
        .await;
    let (actor, _) = last_entry(&app, "assignment_done").await;
    assert!(actor.contains(" i. V. für "), "{actor}");
    assert_eq!(app.call_ok(&berta, "comms_status", "").await["postkorb"], 0);

    // Friday: the absence is over, and so is Berta's access.
    app.call_ok(
        &carla,
        "start_laufweg",
        &format!(
            "document_id={letter}&title=Zweite&steps[0][user_id]={anna_id}&steps[0][kind]=kenntnis&steps[0][stage]=1"
        ),
    )
    .await;
    clock.set(berlin(2027, 5, 7, 8));
    let berta = app.login_demo("berta.erb").await;
    let anna = app.login_demo("sachbearbeitung.erb").await;
    let step = ids(
        &app.call_ok(&anna, "load_postkorb", "").await["asked"],
        "step_id",
    )[0];
    refused(
        app.call(&berta, "load_postkorb", &format!("fuer={anna_id}"))
            .await,
    );
    refused(
        app.call(
            &berta,
            "answer_laufweg_step",
            &format!("step_id={step}&action=kenntnis&remark="),
        )
        .await,
    );
    assert_eq!(
        app.call_ok(&berta, "load_postkorb", "").await["vertreten"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn absences_stay_within_the_municipality_and_the_deputy_sees_no_more_than_the_absent() {
    let app = TestApp::demo().await;
    let _clock = Clock::at(berlin(2027, 6, 7, 9));
    let anna = app.login_demo("sachbearbeitung.erb").await;
    let anna_id = app.user_id("sachbearbeitung.erb").await;
    let (berta, berta_id) = app.colleague("berta.erb", "sachbearbeitung.erb").await;
    let mic = app.user_id("sachbearbeitung.mic").await;
    let set = |cookie: String, absent: i64, deputy: i64, from: &'static str, to: &'static str| {
        let app = &app;
        async move {
            app.call(
                &cookie,
                "set_abwesenheit",
                &format!(
                    "absent_id={absent}&deputy_id={deputy}&starts_on={from}&ends_on={to}&note="
                ),
            )
            .await
        }
    };
    let invalid = |reply: crate::common::Reply| {
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
    };
    // Nobody enters another clerk's absence, a deputy of another
    // municipality, oneself as deputy, days in the past or overlapping ones.
    invalid(set(anna.clone(), berta_id, anna_id, "2027-06-08", "2027-06-09").await);
    invalid(set(anna.clone(), anna_id, mic, "2027-06-08", "2027-06-09").await);
    invalid(set(anna.clone(), anna_id, anna_id, "2027-06-08", "2027-06-09").await);
    invalid(set(anna.clone(), anna_id, berta_id, "2027-06-01", "2027-06-04").await);
    let ok = set(anna.clone(), anna_id, berta_id, "2027-06-07", "2027-06-11").await;
    assert!(ok.status.is_success(), "{}", ok.body);
    let absence = ok.json().as_i64().expect("id");
    invalid(set(anna.clone(), anna_id, berta_id, "2027-06-11", "2027-06-14").await);

    // The Administration enters one for Anna; another municipality's cannot.
    let admin = app.login_demo("admin.erb").await;
    let later = set(admin.clone(), anna_id, berta_id, "2027-07-01", "2027-07-16").await;
    assert!(later.status.is_success(), "{}", later.body);
    invalid(
        set(
            app.login_demo("admin.obz").await,
            anna_id,
            berta_id,
            "2027-08-02",
            "2027-08-06",
        )
        .await,
    );
    let managed = app.call_ok(&admin, "load_abwesenheiten", "").await["managed"].clone();
    assert_eq!(ids(&managed, "absent_id"), [anna_id, anna_id]);
    let mine = app.call_ok(&anna, "load_abwesenheiten", "").await["mine"].clone();
    assert_eq!(mine.as_array().map(Vec::len), Some(2));
    assert_eq!(mine[0]["current"], true);

    // Anna's practice area is hers alone: Berta does not see it.
    app.call_ok(&anna, "enter_practice", "").await;
    let practice_doc = app.upload_ok(&anna, "Uebung.txt", b"Uebung").await;
    app.call_ok(
        &anna,
        "set_wiedervorlage",
        &format!(
            "kind=dokument&id={practice_doc}&for_user_id={anna_id}&due_on=2027-06-07&reason=Uebung"
        ),
    )
    .await;
    // In practice nobody stands in, and nobody enters real absences.
    let reply = app.call(&anna, "load_abwesenheiten", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    app.call_ok(&anna, "leave_practice", "").await;
    let hers = app
        .call_ok(&berta, "load_postkorb", &format!("fuer={anna_id}"))
        .await;
    assert_eq!(hers["due"], serde_json::json!([]), "{hers}");
    app.call_ok(&berta, "enter_practice", "").await;
    let reply = app
        .call(&berta, "load_postkorb", &format!("fuer={anna_id}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    app.call_ok(&berta, "leave_practice", "").await;

    // Only Anna or her Administration lift an absence; Berta's access ends.
    let reply = app
        .call(&berta, "cancel_abwesenheit", &format!("id={absence}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    app.call_ok(&anna, "cancel_abwesenheit", &format!("id={absence}"))
        .await;
    let reply = app
        .call(&berta, "load_postkorb", &format!("fuer={anna_id}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let (actor, details) = last_entry(&app, "absence_cancelled").await;
    assert!(!actor.is_empty());
    assert_eq!(details["vertretung_id"], absence);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'absence_set'")
            .await,
        2
    );
}
