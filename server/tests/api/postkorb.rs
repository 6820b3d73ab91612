//! The Postkorb: Wiedervorlagen due on their Berlin day (across the change
//! to summer time), Zuweisungen to colleagues of the same municipality,
//! one-click settling, and nothing crossing municipalities.

use crate::common::TestApp;
use app::time::test_clock::Clock;
use axum::http::StatusCode;

fn berlin(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    use chrono::TimeZone;
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .earliest()
        .expect("a time in Berlin")
        .timestamp()
}

async fn open_vorgang(app: &TestApp, cookie: &str, title: &str, opened_on: &str) -> i64 {
    let akte = app.open_akte(cookie, "621.1", "Bauantrag", opened_on).await;
    app.call_ok(
        cookie,
        "open_vorgang",
        &format!("akte_id={akte}&title={title}&opened_on={opened_on}"),
    )
    .await["id"]
        .as_i64()
        .expect("id")
}

fn titles(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map(|all| {
            all.iter()
                .map(|w| w["subject_title"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_wiedervorlage_comes_due_on_its_berlin_day_across_the_change_to_summer_time() {
    let app = TestApp::demo().await;
    // Saturday 27 March 2027, noon; the clocks go forward that night.
    let clock = Clock::at(berlin(2027, 3, 27, 12, 0));
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let me = app.user_id("sachbearbeitung.erb").await;
    let vorgang = open_vorgang(&app, &clerk, "Nachforderung", "2027-03-27").await;
    let document = app.upload_ok(&clerk, "Antrag.txt", b"Antrag").await;
    for (kind, id, day, reason) in [
        ("vorgang", vorgang, "2027-03-28", "Frist%20Nachforderung"),
        ("dokument", document, "2027-03-29", "Antwort%20pruefen"),
    ] {
        app.call_ok(
            &clerk,
            "set_wiedervorlage",
            &format!("kind={kind}&id={id}&for_user_id={me}&due_on={day}&reason={reason}"),
        )
        .await;
    }
    let count = |cookie: String| {
        let app = &app;
        async move { app.call_ok(&cookie, "comms_status", "").await["postkorb"].clone() }
    };
    let postkorb = app.call_ok(&clerk, "load_postkorb", "").await;
    assert_eq!(postkorb["today"], "2027-03-27");
    assert_eq!(titles(&postkorb["due"]), Vec::<String>::new());
    assert_eq!(titles(&postkorb["upcoming"]), ["Nachforderung", "Antrag"]);
    assert_eq!(postkorb["vorgaenge"][0]["title"], "Nachforderung");
    assert_eq!(count(clerk.clone()).await, 0);

    // 23:30 Berlin time: still Saturday there, although already Sunday in
    // no other sense that matters.
    clock.set(berlin(2027, 3, 27, 23, 30));
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    assert_eq!(
        titles(&app.call_ok(&clerk, "load_postkorb", "").await["due"]),
        Vec::<String>::new()
    );
    // 00:30 on Sunday in Berlin (23:30 UTC on Saturday): due today.
    clock.set(berlin(2027, 3, 28, 0, 30));
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let postkorb = app.call_ok(&clerk, "load_postkorb", "").await;
    assert_eq!(postkorb["today"], "2027-03-28");
    assert_eq!(titles(&postkorb["due"]), ["Nachforderung"]);
    assert_eq!(postkorb["due"][0]["urgency"], "Today");
    assert_eq!(count(clerk.clone()).await, 1);
    // Monday 00:30 summer time (22:30 UTC on Sunday): the first is overdue,
    // the second due today, the older one first.
    clock.set(berlin(2027, 3, 29, 0, 30));
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let postkorb = app.call_ok(&clerk, "load_postkorb", "").await;
    assert_eq!(titles(&postkorb["due"]), ["Nachforderung", "Antrag"]);
    assert_eq!(postkorb["due"][0]["urgency"], "Overdue");
    assert_eq!(postkorb["due"][1]["urgency"], "Today");
    assert_eq!(count(clerk.clone()).await, 2);

    // One click each: postponed (not into the past), done, and gone.
    let first = postkorb["due"][0]["id"].as_i64().expect("id");
    let second = postkorb["due"][1]["id"].as_i64().expect("id");
    let reply = app
        .call(
            &clerk,
            "settle_wiedervorlage",
            &format!("id={first}&action=verschieben&due_on=2027-03-28"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    app.call_ok(
        &clerk,
        "settle_wiedervorlage",
        &format!("id={first}&action=verschieben&due_on=2027-04-02"),
    )
    .await;
    app.call_ok(
        &clerk,
        "settle_wiedervorlage",
        &format!("id={second}&action=erledigt&due_on="),
    )
    .await;
    let postkorb = app.call_ok(&clerk, "load_postkorb", "").await;
    assert_eq!(titles(&postkorb["due"]), Vec::<String>::new());
    assert_eq!(titles(&postkorb["upcoming"]), ["Nachforderung"]);
    assert_eq!(postkorb["upcoming"][0]["due_on"], "2027-04-02");
    let reply = app
        .call(
            &clerk,
            "settle_wiedervorlage",
            &format!("id={second}&action=abbrechen&due_on="),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "settled once: {}",
        reply.body
    );
    for action in [
        "wiedervorlage_set",
        "wiedervorlage_postponed",
        "wiedervorlage_done",
    ] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action}"
        );
    }
    drop(clock);
}

#[tokio::test]
async fn work_is_handed_to_colleagues_of_the_same_municipality_only() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let (colleague_cookie, colleague_id) =
        app.colleague("kollegin.erb", "sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let mic_id = app.user_id("sachbearbeitung.mic").await;
    let vorgang = open_vorgang(&app, &clerk, "Widerspruch", "2026-12-01").await;
    let document = app
        .upload_ok(&clerk, "Widerspruch.txt", b"Widerspruch")
        .await;

    // The panel offers the own municipality's clerks, oneself first.
    let follow = app
        .call_ok(
            &clerk,
            "load_follow_ups",
            &format!("kind=vorgang&id={vorgang}"),
        )
        .await;
    let names: Vec<&str> = follow["colleagues"]
        .as_array()
        .map(|all| all.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(names[0].ends_with("(ich)"), "{names:?}");
    assert!(names.contains(&"Kollegin kollegin.erb"), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("Michelstadt")),
        "{names:?}"
    );

    // Another municipality's person is no recipient; nothing is written.
    for (function, form) in [
        (
            "set_wiedervorlage",
            format!(
                "kind=vorgang&id={vorgang}&for_user_id={mic_id}&due_on=2099-01-01&reason=Frist"
            ),
        ),
        (
            "assign_to",
            format!("kind=vorgang&id={vorgang}&to_user_id={mic_id}&note=Bitte"),
        ),
    ] {
        let reply = app.call(&clerk, function, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{function}: {}",
            reply.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM wiedervorlagen").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM zuweisungen").await, 0);
    // Nor is another municipality's Vorgang a subject: it answers like an
    // unknown one.
    for id in [vorgang, 987_654] {
        let reply = app
            .call(
                &michelstadt,
                "assign_to",
                &format!("kind=vorgang&id={id}&to_user_id={mic_id}&note="),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        let reply = app
            .call(
                &michelstadt,
                "load_follow_ups",
                &format!("kind=vorgang&id={id}"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    }

    // Handed on with a note: the Vorgang becomes the colleague's, both
    // wait in the colleague's Postkorb, the note is shown.
    app.call_ok(
        &clerk,
        "assign_to",
        &format!("kind=vorgang&id={vorgang}&to_user_id={colleague_id}&note=Bitte%20bis%20Freitag"),
    )
    .await;
    app.call_ok(
        &clerk,
        "assign_to",
        &format!("kind=dokument&id={document}&to_user_id={colleague_id}&note="),
    )
    .await;
    app.call_ok(&clerk, "set_wiedervorlage", &format!("kind=dokument&id={document}&for_user_id={colleague_id}&due_on=2099-01-01&reason=Nachhaken")).await;
    let theirs = app.call_ok(&colleague_cookie, "load_postkorb", "").await;
    assert_eq!(titles(&theirs["assigned"]), ["Widerspruch", "Widerspruch"]);
    assert_eq!(theirs["assigned"][0]["note"], "Bitte bis Freitag");
    assert_eq!(theirs["assigned"][0]["subject"]["Vorgang"], vorgang);
    assert_eq!(theirs["vorgaenge"][0]["id"], vorgang);
    assert_eq!(titles(&theirs["upcoming"]), ["Widerspruch"]);
    let mine = app.call_ok(&clerk, "load_postkorb", "").await;
    assert_eq!(mine["vorgaenge"], serde_json::json!([]), "no longer mine");
    assert_eq!(
        app.call_ok(&colleague_cookie, "comms_status", "").await["postkorb"],
        2
    );

    // Only the one it is for marks a Zuweisung done; the one who set a
    // Wiedervorlage may settle it, a third person may not.
    let first = theirs["assigned"][0]["id"].as_i64().expect("id");
    let reply = app
        .call(&clerk, "finish_assignment", &format!("id={first}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    app.call_ok(
        &colleague_cookie,
        "finish_assignment",
        &format!("id={first}"),
    )
    .await;
    let wv = theirs["upcoming"][0]["id"].as_i64().expect("id");
    let (third, _) = app.colleague("dritte.erb", "sachbearbeitung.erb").await;
    let reply = app
        .call(
            &third,
            "settle_wiedervorlage",
            &format!("id={wv}&action=erledigt&due_on="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let reply = app
        .call(
            &michelstadt,
            "settle_wiedervorlage",
            &format!("id={wv}&action=erledigt&due_on="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    app.call_ok(
        &clerk,
        "settle_wiedervorlage",
        &format!("id={wv}&action=abbrechen&due_on="),
    )
    .await;

    // A document in the trash and a Vorgang zdA wait for nobody.
    app.call_ok(
        &clerk,
        "bulk_documents",
        &format!("ids[0]={document}&action=trash&value="),
    )
    .await;
    let theirs = app.call_ok(&colleague_cookie, "load_postkorb", "").await;
    assert_eq!(theirs["assigned"], serde_json::json!([]), "{theirs}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('assigned', 'assignment_done', 'wiedervorlage_cancelled')")
            .await,
        4
    );
}

#[tokio::test]
async fn bad_input_gets_a_german_message_and_writes_nothing() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let me = app.user_id("sachbearbeitung.erb").await;
    let document = app.upload_ok(&clerk, "Antrag.txt", b"Antrag").await;
    for form in [
        format!("kind=dokument&id={document}&for_user_id={me}&due_on=2000-01-01&reason=Frist"),
        format!("kind=dokument&id={document}&for_user_id={me}&due_on=morgen&reason=Frist"),
        format!("kind=dokument&id={document}&for_user_id={me}&due_on=2099-01-01&reason=%20"),
        format!("kind=akte&id={document}&for_user_id={me}&due_on=2099-01-01&reason=Frist"),
    ] {
        let reply = app.call(&clerk, "set_wiedervorlage", &form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form}: {}",
            reply.body
        );
        assert!(!reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty());
    }
    let reply = app
        .call(
            &clerk,
            "assign_to",
            &format!(
                "kind=dokument&id={document}&to_user_id={me}&note={}",
                "x".repeat(1001)
            ),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM wiedervorlagen").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM zuweisungen").await, 0);
}

#[tokio::test]
async fn a_practice_area_starts_with_a_postkorb_and_a_reset_restores_it() {
    let app = TestApp::demo().await;
    let trainee = app.login_demo("schulung.erb").await;
    let me = app.user_id("schulung.erb").await;
    let colleague = app.user_id("sachbearbeitung.erb").await;
    let postkorb = app.call_ok(&trainee, "load_postkorb", "").await;
    let urgencies: Vec<&str> = postkorb["due"]
        .as_array()
        .map(|all| all.iter().filter_map(|w| w["urgency"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(urgencies, ["Overdue", "Today"], "{postkorb}");
    assert_eq!(postkorb["upcoming"].as_array().map(Vec::len), Some(1));
    assert!(postkorb["vorgaenge"]
        .as_array()
        .is_some_and(|v| v.len() >= 4));
    let vorgang = postkorb["vorgaenge"][0]["id"].as_i64().expect("id");
    // And a Laufweg asking the trainee to co-sign.
    let asked = postkorb["asked"].as_array().cloned().unwrap_or_default();
    assert_eq!(asked.len(), 1, "{postkorb}");
    assert_eq!(asked[0]["kind"], "Mitzeichnung");
    let step = asked[0]["step_id"].as_i64().expect("step");

    // Only oneself in a practice area: a real colleague is out of reach.
    let reply = app
        .call(
            &trainee,
            "set_wiedervorlage",
            &format!(
                "kind=vorgang&id={vorgang}&for_user_id={colleague}&due_on=2099-01-01&reason=Frist"
            ),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let follow = app
        .call_ok(
            &trainee,
            "load_follow_ups",
            &format!("kind=vorgang&id={vorgang}"),
        )
        .await;
    assert_eq!(
        follow["colleagues"].as_array().map(Vec::len),
        Some(1),
        "{follow}"
    );
    app.call_ok(
        &trainee,
        "set_wiedervorlage",
        &format!("kind=vorgang&id={vorgang}&for_user_id={me}&due_on=2099-01-01&reason=Frist"),
    )
    .await;
    let first = postkorb["due"][0]["id"].as_i64().expect("id");
    app.call_ok(
        &trainee,
        "settle_wiedervorlage",
        &format!("id={first}&action=erledigt&due_on="),
    )
    .await;
    app.call_ok(
        &trainee,
        "answer_laufweg_step",
        &format!("step_id={step}&action=anmerkung&remark=Bitte%20Frist%20nennen"),
    )
    .await;
    let changed = app.call_ok(&trainee, "load_postkorb", "").await;
    assert_eq!(changed["due"].as_array().map(Vec::len), Some(1));
    assert_eq!(changed["upcoming"].as_array().map(Vec::len), Some(2));
    assert_eq!(changed["asked"], serde_json::json!([]), "answered");

    app.call_ok(&trainee, "reset_practice", "").await;
    let reset = app.call_ok(&trainee, "load_postkorb", "").await;
    assert_eq!(reset["due"].as_array().map(Vec::len), Some(2), "{reset}");
    assert_eq!(
        reset["upcoming"].as_array().map(Vec::len),
        Some(1),
        "{reset}"
    );
    assert_eq!(reset["asked"].as_array().map(Vec::len), Some(1), "{reset}");
    // Nothing of it in the real municipality.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM wiedervorlagen w JOIN municipalities m ON m.id = w.municipality_id WHERE m.practice_user_id IS NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_vorgang_is_not_closed_while_something_waits_in_it() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let me = app.user_id("sachbearbeitung.erb").await;
    let vorgang = open_vorgang(&app, &clerk, "Nachforderung", "2026-12-01").await;
    let document = app
        .upload(
            &clerk,
            "Entwurf.txt",
            &format!("&vorgang={vorgang}"),
            b"Entwurf",
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let wv = app
        .call_ok(
            &clerk,
            "set_wiedervorlage",
            &format!("kind=dokument&id={document}&for_user_id={me}&due_on=2099-01-01&reason=Frist"),
        )
        .await
        .as_i64()
        .expect("id");
    let laufweg = app.call_ok(&clerk,
        "start_laufweg",
        &format!("document_id={document}&title=Entwurf&steps[0][user_id]={me}&steps[0][kind]=freigabe&steps[0][stage]=1"),
    )
    .await
    .as_i64()
    .expect("id");
    let form = format!("id={vorgang}&closed_on=2026-12-07");
    let close = || app.call(&clerk, "close_vorgang", &form);
    let reply = close().await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let message = reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("1 offene Wiedervorlage(n) und 1 laufende(r) Laufweg(e)"),
        "{message}"
    );
    app.call_ok(
        &clerk,
        "settle_wiedervorlage",
        &format!("id={wv}&action=abbrechen&due_on="),
    )
    .await;
    assert_eq!(close().await.status, StatusCode::CONFLICT);
    app.call_ok(&clerk, "withdraw_laufweg", &format!("id={laufweg}"))
        .await;
    let reply = close().await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn confirmed_zda_cancels_what_waits_and_records_it() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let me = app.user_id("sachbearbeitung.erb").await;
    let vorgang = open_vorgang(&app, &clerk, "Anhörung", "2026-12-01").await;
    let document = app
        .upload(
            &clerk,
            "Anhoerung.txt",
            &format!("&vorgang={vorgang}"),
            b"Anhoerung",
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    app.call_ok(
        &clerk,
        "set_wiedervorlage",
        &format!("kind=vorgang&id={vorgang}&for_user_id={me}&due_on=2099-01-01&reason=Frist"),
    )
    .await;
    let laufweg = app
        .call_ok(
            &clerk,
            "start_laufweg",
            &format!("document_id={document}&title=Entwurf&steps[0][user_id]={me}&steps[0][kind]=freigabe&steps[0][stage]=1"),
        )
        .await
        .as_i64()
        .expect("id");
    // A bad date still refuses and cancels nothing.
    let reply = app
        .call(
            &clerk,
            "close_vorgang",
            &format!("id={vorgang}&closed_on=2026-11-01&cancel_waiting=ja"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM wiedervorlagen WHERE status = 'open'")
            .await,
        1
    );
    // Confirmed: both end with the zdA, each on the record.
    app.call_ok(
        &clerk,
        "close_vorgang",
        &format!("id={vorgang}&closed_on=2026-12-07&cancel_waiting=ja"),
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM wiedervorlagen WHERE status = 'open'")
            .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM laufwege WHERE id = {laufweg} AND status = 'cancelled'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM laufweg_schritte WHERE laufweg_id = {laufweg} AND state = 'skipped'"
        ))
        .await,
        1
    );
    for action in [
        "wiedervorlage_cancelled",
        "laufweg_withdrawn",
        "vorgang_closed",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    assert!(app.call_ok(&clerk, "load_postkorb", "").await["asked"]
        .as_array()
        .is_some_and(Vec::is_empty));
}

#[tokio::test]
async fn a_long_postkorb_shows_the_most_urgent_first_and_counts_everything() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let me = app.user_id("sachbearbeitung.erb").await;
    let document = app.upload_ok(&clerk, "Akte.txt", b"Viel Arbeit").await;
    let shown = app::postkorb::SHOWN;
    // Overdue ones, each a day later than the one before.
    for day in 0..shown + 5 {
        sqlx::query(
            "INSERT INTO wiedervorlagen (municipality_id, document_id, for_user_id, due_on, reason, created_by, created_at)
             VALUES (2, ?, ?, date('2026-01-01', ? || ' days'), 'Frist', ?, 0)",
        )
        .bind(document)
        .bind(me)
        .bind(day)
        .bind(me)
        .execute(&app.state.pool)
        .await
        .expect("wiedervorlage");
    }
    let postkorb = app.call_ok(&clerk, "load_postkorb", "").await;
    assert_eq!(postkorb["totals"]["due"], shown + 5);
    assert_eq!(
        postkorb["due"].as_array().map(Vec::len),
        Some(shown as usize)
    );
    assert_eq!(
        postkorb["due"][0]["due_on"], "2026-01-01",
        "the oldest first"
    );
    assert_eq!(
        app.call_ok(&clerk, "comms_status", "").await["postkorb"],
        shown + 5
    );
    let all = app.call_ok(&clerk, "load_postkorb", "alle=true").await;
    assert_eq!(
        all["due"].as_array().map(Vec::len),
        Some(shown as usize + 5)
    );
    let page = app.get("/postkorb", Some(&clerk)).await;
    assert!(
        page.body
            .contains(&format!("Die ersten {shown} von {}", shown + 5)),
        "the page says how many are left out"
    );
}

/// What waits follows its subject: a document in the trash takes its
/// Wiedervorlage, Zuweisung and Laufweg step out of every count and list,
/// restored it brings them back; a Vorgang zdA takes its own out.
#[tokio::test]
async fn what_waits_follows_its_subject_into_the_trash_and_back() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let (colleague, colleague_id) = app.colleague("kollegin.erb", "sachbearbeitung.erb").await;
    let document = app.upload_ok(&clerk, "Antrag.txt", b"Antrag").await;
    let today = app::time::iso_date(app::time::today());
    app.call_ok(
        &clerk,
        "set_wiedervorlage",
        &format!(
            "kind=dokument&id={document}&for_user_id={colleague_id}&due_on={today}&reason=Frist"
        ),
    )
    .await;
    app.call_ok(
        &clerk,
        "assign_to",
        &format!("kind=dokument&id={document}&to_user_id={colleague_id}&note=Bitte"),
    )
    .await;
    app.call_ok(
        &clerk,
        "start_laufweg",
        &format!(
            "document_id={document}&title=Entwurf&steps[0][user_id]={colleague_id}\
             &steps[0][kind]=mitzeichnung&steps[0][stage]=1"
        ),
    )
    .await;
    let waiting = || async {
        let postkorb = app.call_ok(&colleague, "load_postkorb", "").await;
        let totals = &postkorb["totals"];
        (
            app.call_ok(&colleague, "comms_status", "").await["postkorb"].clone(),
            [&totals["due"], &totals["assigned"], &totals["asked"]].map(|n| n.as_i64()),
            [&postkorb["due"], &postkorb["assigned"], &postkorb["asked"]]
                .map(|list| list.as_array().map_or(0, Vec::len)),
        )
    };
    let all_three = (serde_json::json!(3), [Some(1); 3], [1; 3]);
    assert_eq!(waiting().await, all_three);

    app.call_ok(
        &clerk,
        "bulk_documents",
        &format!("ids[0]={document}&action=trash&value="),
    )
    .await;
    assert_eq!(
        waiting().await,
        (serde_json::json!(0), [Some(0); 3], [0; 3])
    );
    app.call_ok(
        &clerk,
        "bulk_documents",
        &format!("ids[0]={document}&action=untrash&value="),
    )
    .await;
    assert_eq!(waiting().await, all_three);

    // A Vorgang closed behind the use cases' back (they cancel what
    // waits first): its Wiedervorlage drops out all the same.
    let vorgang = open_vorgang(&app, &clerk, "Nachforderung", &today).await;
    app.call_ok(
        &clerk,
        "set_wiedervorlage",
        &format!(
            "kind=vorgang&id={vorgang}&for_user_id={colleague_id}&due_on={today}&reason=Frist"
        ),
    )
    .await;
    assert_eq!(
        app.call_ok(&colleague, "comms_status", "").await["postkorb"],
        4
    );
    sqlx::query("UPDATE vorgaenge SET status = 'closed' WHERE id = ?")
        .bind(vorgang)
        .execute(&app.state.pool)
        .await
        .expect("close");
    assert_eq!(waiting().await, all_three);
}
