//! The rollout dashboard through the real server: a scripted sequence of
//! sign-ins, uploads, filings, a trashed document, a finished walkthrough,
//! an attended session, questions and an acknowledgement, and the numbers
//! the dashboard (and its CSV) must show for it. Also who may see what.

use crate::common;

use app::rollout::storage::record_activity;
use app::time::local_day;
use axum::http::{header, StatusCode};
use chrono::Datelike;
use common::{samples, TestApp};
use serde_json::{json, Value};

const MICHELSTADT: usize = 0;
const ERBACH: usize = 1;
const OBERZENT: usize = 2;
const BROMBACHTAL: usize = 3;

fn now() -> i64 {
    app::time::now()
}

fn day(at: i64) -> String {
    local_day(at).format("%Y-%m-%d").to_string()
}

fn request(von: &str, bis: &str, einteilung: &str, gemeinde: &str) -> String {
    format!(
        "request%5Bvon%5D={von}&request%5Bbis%5D={bis}&request%5Beinteilung%5D={einteilung}&request%5Bgemeinde%5D={gemeinde}"
    )
}

/// `values[municipality][period]` of one figure.
fn values(dashboard: &Value, key: &str) -> Vec<Vec<i64>> {
    let series = dashboard["series"]
        .as_array()
        .and_then(|all| {
            all.iter().find(|s| {
                app::rollout::Metric::from_key(key)
                    .map(|m| serde_json::to_value(m).ok() == Some(s["metric"].clone()))
                    .unwrap_or(false)
            })
        })
        .unwrap_or_else(|| panic!("series {key} in {dashboard}"));
    serde_json::from_value(series["values"].clone()).expect("values")
}

fn column(rows: &[Vec<i64>], period: usize) -> Vec<i64> {
    rows.iter().map(|row| row[period]).collect()
}

/// What the extraction worker's use case stores for the newest job of
/// `document`: `pages` read, `ocr_pages` of them by OCR.
async fn extracted(app: &TestApp, document: i64, pages: i64, ocr_pages: i64) {
    let (job_id, version_id): (i64, i64) = sqlx::query_as(
        "SELECT j.id, j.version_id FROM jobs j JOIN document_versions v ON v.id = j.version_id
         WHERE v.document_id = ? ORDER BY j.id DESC LIMIT 1",
    )
    .bind(document)
    .fetch_one(&app.state.pool)
    .await
    .expect("a job");
    let job = app::processing::storage::ClaimedJob {
        job_id,
        version_id,
        attempts: 1,
        sha256: String::new(),
        kind: "pdf".into(),
    };
    let found = app::processing::storage::FoundText {
        text: "Text".into(),
        pages,
        ocr_pages,
        method: "mixed".into(),
    };
    app::processing::service::complete(&app.state.pool, &job, &found, now())
        .await
        .expect("text stored");
}

async fn dashboard(app: &TestApp, cookie: &str, form: &str) -> Value {
    let reply = app.call(cookie, "rollout_dashboard", form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

#[tokio::test]
async fn dashboard_numbers_match_a_scripted_sequence_of_events() {
    let app = TestApp::demo().await;
    let start = now();
    let today = day(start);
    let week_ago = day(start - 6 * 86_400);
    let range = request(&week_ago, &today, "tag", "");

    // Before anything happens: only the accounts exist.
    let team = app.login_demo("projekt.mic").await;
    let before = dashboard(&app, &team, &range).await;
    assert_eq!(before["periods"].as_array().map(Vec::len), Some(7));
    assert_eq!(before["standings"].as_array().map(Vec::len), Some(5));
    assert_eq!(before["standings"][ERBACH]["accounts"], 4);
    assert_eq!(before["standings"][4]["municipality"], "Alle Gemeinden");
    assert_eq!(before["standings"][4]["acks_due"], 0);
    assert_eq!(column(&values(&before, "hochgeladen"), 6), vec![0, 0, 0, 0]);

    // Sign-ins today (the team's own counts for Michelstadt) ...
    let mic_clerk = app.login_demo("sachbearbeitung.mic").await;
    let erb_clerk = app.login_demo("sachbearbeitung.erb").await;
    let _erb_admin = app.login_demo("admin.erb").await;
    let erb_trainee = app.login_demo("schulung.erb").await;
    let obz_clerk = app.login_demo("sachbearbeitung.obz").await;
    // ... and use recorded on earlier days: two days ago two people in
    // Erbach (one of them twice), nine days ago one (outside the range).
    let erb_clerk_id = app.user_id("sachbearbeitung.erb").await;
    let erb_admin_id = app.user_id("admin.erb").await;
    {
        let mut conn = app.state.pool.acquire().await.expect("connection");
        for (user, at) in [
            (erb_clerk_id, start - 2 * 86_400),
            (erb_clerk_id, start - 2 * 86_400 + 60),
            (erb_admin_id, start - 2 * 86_400),
            (erb_clerk_id, start - 9 * 86_400),
        ] {
            record_activity(&mut conn, user, 2, at)
                .await
                .expect("activity");
        }
    }

    // Erbach: three into the Posteingang, one straight into an Akte; one
    // filed, one trashed. Michelstadt: one. The trainee practises: nothing.
    let a = app.upload_ok(&erb_clerk, "a.pdf", &samples::pdf("a")).await;
    let b = app.upload_ok(&erb_clerk, "b.pdf", &samples::pdf("b")).await;
    let c = app.upload_ok(&erb_clerk, "c.pdf", &samples::pdf("c")).await;
    let akte = app
        .open_akte(&erb_clerk, "621.1", "Bauantrag Am Markt 3", &today)
        .await;
    let reply = app
        .upload(
            &erb_clerk,
            "d.pdf",
            &format!("&akte={akte}"),
            &samples::pdf("d"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    for (id, action, value) in [(a, "file", akte.to_string()), (b, "trash", String::new())] {
        let reply = app
            .call(
                &erb_clerk,
                "bulk_documents",
                &format!("ids[0]={id}&action={action}&value={value}"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    app.upload_ok(&mic_clerk, "m.pdf", &samples::pdf("m")).await;
    let reply = app
        .upload(&erb_trainee, "uebung.pdf", "", &samples::pdf("Übung"))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // The extraction worker's record for c: three pages, two of them OCR'd.
    extracted(&app, c, 3, 2).await;

    // Oberzent finishes the upload walkthrough (six steps).
    let run = app.call(&obz_clerk, "start_tour", "tour_id=2").await.json()["run_id"]
        .as_i64()
        .expect("run");
    for step in 0..6 {
        let reply = app
            .call(
                &obz_clerk,
                "move_tour",
                &format!("run_id={run}&from={step}&to={}", step + 1),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }

    // Erbach's clerk attends a session that started a minute ago.
    let starts =
        chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin) + chrono::Duration::days(3);
    let form = serde_urlencoded::to_string([
        ("session[title]", "Ablage"),
        ("session[description]", ""),
        ("session[trainer]", "Projektteam"),
        (
            "session[starts]",
            &format!("{}T09:00", starts.format("%Y-%m-%d")),
        ),
        (
            "session[ends]",
            &format!("{}T10:00", starts.format("%Y-%m-%d")),
        ),
        ("session[place]", "Rathaus Erbach"),
        ("session[video_url]", ""),
        ("session[capacity]", "5"),
    ])
    .expect("encode");
    let reply = app.call(&team, "create_training_session", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let session = reply.json().as_i64().expect("session");
    let reply = app
        .call(&erb_clerk, "register_for_session", &format!("id={session}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // A minute ago, unless that was yesterday in Berlin: a run in the
    // first minute of a day counted the attendance on the day before.
    let began = if day(start - 60) == today {
        start - 60
    } else {
        start
    };
    sqlx::query("UPDATE training_sessions SET starts_at = ?, ends_at = ? WHERE id = ?")
        .bind(began)
        .bind(start + 3600)
        .bind(session)
        .execute(&app.state.pool)
        .await
        .expect("move");
    let reply = app
        .call(
            &team,
            "mark_attendance",
            &format!("session_id={session}&user_id={erb_clerk_id}&attended=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // Questions: Erbach's is answered, Oberzent's still waits.
    let mut asked = Vec::new();
    for cookie in [&erb_clerk, &obz_clerk] {
        let reply = app
            .call(
                cookie,
                "ask_question",
                "text=Wo+ist+der+Scanner%3F&page_path=/",
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        asked.push(reply.json().as_i64().expect("question"));
    }
    let reply = app
        .call(
            &team,
            "reply_question",
            &format!("id={}&text=Im+Flur.", asked[0]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // An Erbach-only announcement asks the four Erbach accounts for an
    // acknowledgement; one gives it.
    let reply = app
        .call(
            &team,
            "save_announcement",
            "draft%5Btitle%5D=Scanner&draft%5Bbody%5D=Bitte+scannen.&draft%5Bmunicipalities%5D%5B0%5D=2&draft%5Brequires_ack%5D=true",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let announcement = reply.json().as_i64().expect("announcement");
    let reply = app
        .call(
            &erb_clerk,
            "acknowledge_announcement",
            &format!("id={announcement}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // The numbers, by day: today is the last of seven periods.
    let d = dashboard(&app, &team, &range).await;
    let names: Vec<&str> = d["municipalities"]
        .as_array()
        .map(|all| all.iter().filter_map(|m| m["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        vec!["Michelstadt", "Erbach", "Oberzent", "Brombachtal"]
    );
    let today_of = |key: &str| column(&values(&d, key), 6);
    assert_eq!(today_of("aktive-personen"), vec![2, 3, 1, 0]);
    assert_eq!(column(&values(&d, "aktive-personen"), 4), vec![0, 2, 0, 0]);
    assert_eq!(today_of("hochgeladen"), vec![1, 4, 0, 0]);
    assert_eq!(today_of("abgelegt"), vec![0, 2, 0, 0]);
    assert_eq!(today_of("posteingang"), vec![1, 1, 0, 0]);
    assert_eq!(today_of("seiten"), vec![0, 3, 0, 0]);
    assert_eq!(today_of("ocr-seiten"), vec![0, 2, 0, 0]);
    assert_eq!(today_of("rundgaenge"), vec![0, 0, 1, 0]);
    assert_eq!(today_of("schulungsteilnahmen"), vec![0, 1, 0, 0]);
    assert_eq!(today_of("kenntnisnahmen"), vec![0, 1, 0, 0]);
    assert_eq!(today_of("fragen-gestellt"), vec![0, 1, 1, 0]);
    assert_eq!(today_of("fragen-offen"), vec![0, 0, 1, 0]);
    // Nothing happened on the other days but the recorded use.
    for key in ["hochgeladen", "abgelegt", "posteingang", "fragen-gestellt"] {
        for period in 0..6 {
            assert_eq!(column(&values(&d, key), period), vec![0, 0, 0, 0], "{key}");
        }
    }
    let uploaded = d["series"][1].clone();
    assert_eq!(
        uploaded["total"][6], 5,
        "the practice upload does not count"
    );
    assert_eq!(uploaded["range_total"], 5);
    let active = d["series"][0].clone();
    assert_eq!(active["range_values"], json!([2, 3, 1, 0]));
    assert_eq!(active["range_total"], 6);

    // The standing at the end of the range.
    let erbach = &d["standings"][ERBACH];
    assert_eq!(erbach["accounts"], 4);
    assert_eq!(erbach["active_in_range"], 3);
    assert_eq!(erbach["attended_training"], 1);
    assert_eq!(erbach["acks_due"], 4);
    assert_eq!(erbach["acks_given"], 1);
    assert_eq!(d["standings"][OBERZENT]["finished_a_tour"], 1);
    assert_eq!(d["standings"][MICHELSTADT]["acks_due"], 0);
    assert_eq!(d["standings"][BROMBACHTAL]["active_in_range"], 0);
    assert_eq!(d["standings"][4]["acks_due"], 4);
    assert_eq!(d["standings"][4]["active_in_range"], 6);

    // By week, a person active on two days counts once.
    let weeks = dashboard(&app, &team, &request(&week_ago, &today, "woche", "")).await;
    let periods = weeks["periods"].as_array().map(Vec::len).unwrap_or(0);
    assert!((1..=2).contains(&periods));
    let erbach_weeks: i64 = values(&weeks, "aktive-personen")[ERBACH].iter().sum();
    let same_week = local_day(start - 2 * 86_400).iso_week() == local_day(start).iso_week();
    assert_eq!(erbach_weeks, if same_week { 3 } else { 5 });
    assert_eq!(values(&weeks, "hochgeladen")[ERBACH].iter().sum::<i64>(), 4);

    // One municipality chosen: only its row.
    let only = dashboard(&app, &team, &request(&week_ago, &today, "tag", "2")).await;
    assert_eq!(only["municipalities"].as_array().map(Vec::len), Some(1));
    assert_eq!(column(&values(&only, "hochgeladen"), 6), vec![4]);

    // The CSV carries the same numbers.
    let csv = app
        .get(
            &format!("/einfuehrung/zahlen.csv?von={week_ago}&bis={today}&einteilung=tag"),
            Some(&team),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(
        csv.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let erbach_today = csv
        .body
        .split("\r\n")
        .find(|line| line.contains(&format!(";{today};{today};Erbach;")))
        .expect("Erbach's row for today");
    let cells: Vec<&str> = erbach_today.split(';').collect();
    // Zeitraum;Von;Bis;Gemeinde; then the figures in dashboard order.
    assert_eq!(
        &cells[4..],
        &["3", "4", "2", "1", "0", "0", "3", "2", "0", "1", "1", "1", "0"]
    );

    // The page itself renders on the server with the figures.
    let page = app
        .get(
            &format!("/einfuehrung?von={week_ago}&bis={today}"),
            Some(&team),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hochgeladene Dokumente"));
    assert!(page
        .body
        .contains("Hochgeladene Dokumente – alle Gemeinden: zusammen 5"));
}

#[tokio::test]
async fn vorgaenge_put_zda_and_completed_laufwege_count_per_municipality_not_in_practice() {
    let app = TestApp::demo().await;
    let today = day(now());
    let range = request(&today, &today, "tag", "");
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let (colleague, colleague_id) = app.colleague("kollege.erb", "sachbearbeitung.erb").await;

    // Erbach: one Vorgang zdA today, one Laufweg completed, one withdrawn.
    let akte = app
        .open_akte(&erb, "621.1", "Bauantrag", "2026-11-02")
        .await;
    let vorgang = ok(
        &app,
        &erb,
        "open_vorgang",
        &format!("akte_id={akte}&title=Nachforderung&opened_on=2026-11-02"),
    )
    .await["id"]
        .as_i64()
        .expect("id");
    ok(
        &app,
        &erb,
        "close_vorgang",
        &format!("id={vorgang}&closed_on={today}"),
    )
    .await;
    for (name, answer) in [("Entwurf-A.txt", true), ("Entwurf-B.txt", false)] {
        let document = app.upload_ok(&erb, name, name.as_bytes()).await;
        let laufweg = ok(
            &app,
            &erb,
            "start_laufweg",
            &format!(
                "document_id={document}&title=Antwort&steps[0][user_id]={colleague_id}&steps[0][kind]=kenntnis&steps[0][stage]=1"
            ),
        )
        .await
        .as_i64()
        .expect("laufweg");
        if answer {
            let step: i64 = app
                .count(&format!(
                    "SELECT id FROM laufweg_schritte WHERE laufweg_id = {laufweg}"
                ))
                .await;
            ok(
                &app,
                &colleague,
                "answer_laufweg_step",
                &format!("step_id={step}&action=kenntnis&remark="),
            )
            .await;
        } else {
            ok(&app, &erb, "withdraw_laufweg", &format!("id={laufweg}")).await;
        }
    }
    // A practice area holds zdA Vorgänge and whatever is done there.
    let obz = app.login_demo("sachbearbeitung.obz").await;
    ok(&app, &obz, "enter_practice", "").await;
    assert!(
        app.count("SELECT COUNT(*) FROM vorgaenge WHERE status = 'closed'")
            .await
            > 1,
        "the practice template has zdA Vorgänge"
    );

    let team = app.login_demo("projekt.mic").await;
    let d = dashboard(&app, &team, &range).await;
    assert_eq!(column(&values(&d, "vorgaenge-zda"), 0), vec![0, 1, 0, 0]);
    assert_eq!(
        column(&values(&d, "laufwege-abgeschlossen"), 0),
        vec![0, 1, 0, 0]
    );
}

#[tokio::test]
async fn administration_sees_its_own_municipality_and_clerks_see_nothing() {
    let app = TestApp::demo().await;
    let today = day(now());
    let admin = app.login_demo("admin.erb").await;
    let d = dashboard(&app, &admin, &request("", "", "", "")).await;
    assert_eq!(d["municipalities"], json!([{ "id": 2, "name": "Erbach" }]));
    assert_eq!(d["standings"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["periods"].as_array().map(Vec::len), Some(28));
    assert_eq!(d["to"], json!(today));
    // Another municipality: refused, also as CSV.
    let reply = app
        .call(&admin, "rollout_dashboard", &request("", "", "", "1"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let csv = app
        .get("/einfuehrung/zahlen.csv?gemeinde=1", Some(&admin))
        .await;
    assert_eq!(csv.status, StatusCode::FORBIDDEN);
    let csv = app.get("/einfuehrung/zahlen.csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains(";Erbach;"));
    assert!(!csv.body.contains("Michelstadt"));

    // Clerks, trainees and people practising see no figures.
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let trainee = app.login_demo("schulung.erb").await;
    let practising_team = app.login_demo("projekt.obz").await;
    let reply = app.call(&practising_team, "enter_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    for cookie in [&clerk, &trainee, &practising_team] {
        let reply = app
            .call(cookie, "rollout_dashboard", &request("", "", "", ""))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let csv = app.get("/einfuehrung/zahlen.csv", Some(cookie)).await;
        assert_eq!(csv.status, StatusCode::FORBIDDEN);
        let page = app.get("/einfuehrung", Some(cookie)).await;
        assert!(page.body.contains("Dafür fehlt Ihnen die Berechtigung."));
        assert!(!page.body.contains("Hochgeladene Dokumente"));
    }
    let reply = app.get("/einfuehrung/zahlen.csv", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bad_range_gets_a_german_message_and_422() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.bro").await;
    for (form, words) in [
        (
            request("2026-11-30", "2026-11-01", "tag", ""),
            "beginnt nach seinem Ende",
        ),
        (request("gestern", "", "tag", ""), "kein gültiges Datum"),
        (request("2020-01-01", "2026-01-01", "tag", ""), "zu lang"),
        (request("", "", "monat", ""), "Einteilung"),
        (request("", "", "", "Erbach"), "Gemeinde aus der Liste"),
    ] {
        let reply = app.call(&team, "rollout_dashboard", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(reply.body.contains(words), "{form}: {}", reply.body);
    }
    let reply = app
        .call(&team, "rollout_dashboard", &request("", "", "", "99"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let csv = app
        .get(
            "/einfuehrung/zahlen.csv?von=2026-11-30&bis=2026-11-01",
            Some(&team),
        )
        .await;
    assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(csv.body.contains("beginnt nach seinem Ende"));
}

/// The days of use the dashboard counts come from the session layer
/// through the hook the server wires at start: sign-in counts its day,
/// and so does the first request of a new day in a session that stayed
/// open overnight, under the home municipality also while practising.
#[tokio::test]
async fn sign_in_and_the_first_request_of_a_day_count_as_days_of_use() {
    let app = TestApp::with(&[
        ("AKTENWERK_DEMO", "true"),
        ("AKTENWERK_SESSION_IDLE_MINUTES", "1440"),
        ("AKTENWERK_SESSION_MAX_HOURS", "48"),
    ])
    .await;
    let days = |user: i64| {
        format!("SELECT COUNT(*) FROM user_activity_days WHERE user_id = {user} AND municipality_id = 2")
    };
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let trainee = app.login_demo("schulung.erb").await;
    let clerk_id = app.user_id("sachbearbeitung.erb").await;
    let trainee_id = app.user_id("schulung.erb").await;
    for user in [clerk_id, trainee_id] {
        assert_eq!(app.count(&days(user)).await, 1, "sign-in counts today");
    }

    // Both sessions were last used in the last minute of yesterday.
    let start = now();
    let mut yesterday = start;
    while local_day(yesterday) == local_day(start) {
        yesterday -= 60;
    }
    if start - yesterday >= 1440 * 60 {
        // The last hour of the long autumn day: no idle limit reaches back.
        return;
    }
    sqlx::query("DELETE FROM user_activity_days")
        .execute(&app.state.pool)
        .await
        .expect("forget the days");
    sqlx::query("UPDATE sessions SET created_at = ?1, last_seen_at = ?1")
        .bind(yesterday)
        .execute(&app.state.pool)
        .await
        .expect("age sessions");
    for cookie in [&clerk, &trainee] {
        let reply = app.call(cookie, "current_user", "").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_ne!(reply.json(), Value::Null, "the session stays alive");
    }
    for user in [clerk_id, trainee_id] {
        assert_eq!(app.count(&days(user)).await, 1, "a new day counts");
        let today: String =
            sqlx::query_scalar("SELECT day FROM user_activity_days WHERE user_id = ?")
                .bind(user)
                .fetch_one(&app.state.pool)
                .await
                .expect("day");
        assert_eq!(today, day(now()));
    }
    // Later requests the same day add nothing.
    app.call(&clerk, "current_user", "").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_activity_days").await,
        2
    );
}

// The summary the use cases keep against the raw rows (issue 16).

use app::rollout::figures::{compute, compute_from_summary, Range};
use app::rollout::{storage, Dashboard, Granularity, Metric};
use app::time::test_clock::Clock;
use chrono::NaiveDate;

/// Unix time of a wall-clock time in Berlin (of the autumn hour that
/// occurs twice, the first).
fn berlin(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    use chrono::TimeZone;
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .earliest()
        .expect("a time in Berlin")
        .timestamp()
}

fn date(day: &str) -> NaiveDate {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date")
}

async fn ok(app: &TestApp, cookie: &str, function: &str, form: &str) -> Value {
    let reply = app.call(cookie, function, form).await;
    assert_eq!(reply.status, StatusCode::OK, "{function}: {}", reply.body);
    reply.json()
}

async fn bulk(app: &TestApp, cookie: &str, document: i64, action: &str, value: &str) {
    let form = format!("ids[0]={document}&action={action}&value={value}");
    ok(app, cookie, "bulk_documents", &form).await;
}

async fn upload_into(app: &TestApp, cookie: &str, name: &str, akte: i64) -> i64 {
    let reply = app
        .upload(cookie, name, &format!("&akte={akte}"), &samples::pdf(name))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_i64().expect("id")
}

fn session_form(starts: i64, ends: i64) -> String {
    serde_urlencoded::to_string([
        ("session[title]", "Ablage"),
        ("session[description]", ""),
        ("session[trainer]", "Projektteam"),
        ("session[starts]", &app::time::input_value(starts)),
        ("session[ends]", &app::time::input_value(ends)),
        ("session[place]", "Rathaus"),
        ("session[video_url]", ""),
        ("session[capacity]", "5"),
    ])
    .expect("encode")
}

async fn finish_upload_tour(app: &TestApp, cookie: &str) {
    let run = ok(app, cookie, "start_tour", "tour_id=2").await["run_id"]
        .as_i64()
        .expect("run");
    for step in 0..6 {
        let form = format!("run_id={run}&from={step}&to={}", step + 1);
        ok(app, cookie, "move_tour", &form).await;
    }
}

/// Long sessions: the script signs in once per block of days.
async fn history_app() -> TestApp {
    TestApp::with(&[
        ("AKTENWERK_DEMO", "true"),
        ("AKTENWERK_SESSION_IDLE_MINUTES", "1440"),
        ("AKTENWERK_SESSION_MAX_HOURS", "168"),
    ])
    .await
}

/// A history through the real use cases at the times the test clock is
/// set to (signing in again where a session would have run out): a week around the change to summer time, days of use in the
/// summer and over the new year, and days around the change back, with
/// events near midnight and in the autumn hour that occurs twice. Later
/// events rewrite what counted earlier: a restore from the trash, an
/// emptied trash, a second extraction, corrected attendance, a moved and
/// then left session, a follow-up after closing, a person moving to
/// another municipality, a deactivation.
async fn scripted_history(app: &TestApp) -> Clock {
    let clock = Clock::at(berlin(2026, 3, 26, 8, 0));
    // Thursday 26 March, winter time.
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let team = app.login_demo("projekt.mic").await;
    let trainee = app.login_demo("schulung.erb").await;
    let erb_id = app.user_id("sachbearbeitung.erb").await;
    let a = app.upload_ok(&erb, "a.pdf", &samples::pdf("a")).await;
    let b = app.upload_ok(&erb, "b.pdf", &samples::pdf("b")).await;
    let c = app.upload_ok(&erb, "c.pdf", &samples::pdf("c")).await;
    let m = app.upload_ok(&mic, "m.pdf", &samples::pdf("m")).await;
    let practice = app
        .upload(&trainee, "uebung.pdf", "", &samples::pdf("Übung"))
        .await;
    assert_eq!(practice.status, StatusCode::CREATED, "{}", practice.body);
    let akte = app
        .open_akte(&erb, "621.1", "Bauantrag", "2026-03-26")
        .await;
    let other_akte = app.open_akte(&erb, "621.1", "Anbau", "2026-03-26").await;
    let mic_akte = app.open_akte(&mic, "621.1", "Markt", "2026-03-26").await;
    let session = ok(
        app,
        &team,
        "create_training_session",
        &session_form(berlin(2026, 3, 30, 9, 0), berlin(2026, 3, 30, 10, 0)),
    )
    .await
    .as_i64()
    .expect("session");
    ok(app, &erb, "register_for_session", &format!("id={session}")).await;

    // Friday 27 March, late evening: d straight into an Akte, a filed.
    clock.set(berlin(2026, 3, 27, 23, 30));
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let d = upload_into(app, &erb, "d.pdf", akte).await;
    bulk(app, &erb, a, "file", &akte.to_string()).await;
    // Saturday 28 March, a minute before midnight: b into the trash.
    clock.set(berlin(2026, 3, 28, 23, 59));
    let erb = app.login_demo("sachbearbeitung.erb").await;
    bulk(app, &erb, b, "trash", "").await;
    // Sunday 29 March, 01:30 winter time (at 02:00 the clocks go forward):
    // c's text; at 03:30 summer time Oberzent asks.
    clock.set(berlin(2026, 3, 29, 1, 30));
    extracted(app, c, 3, 2).await;
    clock.set(berlin(2026, 3, 29, 3, 30));
    let obz = app.login_demo("sachbearbeitung.obz").await;
    let question = ok(
        app,
        &obz,
        "ask_question",
        "text=Wo+ist+der+Scanner%3F&page_path=/",
    )
    .await
    .as_i64()
    .expect("question");
    // Monday 30 March: the answer, a walkthrough, a's text, the session
    // and its attendance, corrected twice.
    clock.set(berlin(2026, 3, 30, 10, 0));
    let team = app.login_demo("projekt.mic").await;
    let obz = app.login_demo("sachbearbeitung.obz").await;
    let answer = format!("id={question}&text=Im+Flur.");
    ok(app, &team, "reply_question", &answer).await;
    finish_upload_tour(app, &obz).await;
    extracted(app, a, 2, 0).await;
    clock.set(berlin(2026, 3, 30, 11, 0));
    for attended in [true, false, true] {
        let form = format!("session_id={session}&user_id={erb_id}&attended={attended}");
        ok(app, &team, "mark_attendance", &form).await;
    }
    // Tuesday 31 March: a follow-up, closed an hour later; c into the trash.
    clock.set(berlin(2026, 3, 31, 8, 0));
    let follow_up = format!("id={question}&text=Welcher+Flur%3F");
    ok(app, &obz, "reply_question", &follow_up).await;
    clock.set(berlin(2026, 3, 31, 9, 0));
    ok(app, &obz, "close_question", &format!("id={question}")).await;
    let erb = app.login_demo("sachbearbeitung.erb").await;
    bulk(app, &erb, c, "trash", "").await;
    // Wednesday 1 April: another follow-up (the question waits since
    // Tuesday again), b back from the trash, d moved to another Akte, the
    // session moved to Friday.
    clock.set(berlin(2026, 4, 1, 10, 0));
    let (erb, obz) = (
        app.login_demo("sachbearbeitung.erb").await,
        app.login_demo("sachbearbeitung.obz").await,
    );
    let team = app.login_demo("projekt.mic").await;
    ok(app, &obz, "reply_question", &follow_up).await;
    bulk(app, &erb, b, "untrash", "").await;
    bulk(app, &erb, d, "file", &other_akte.to_string()).await;
    let moved = format!(
        "id={session}&{}",
        session_form(berlin(2026, 4, 3, 9, 0), berlin(2026, 4, 3, 10, 0))
    );
    ok(app, &team, "update_training_session", &moved).await;
    // Thursday 2 April: the answer; Erbach leaves the moved session; the
    // trash is emptied (c and its pages); a is read again.
    clock.set(berlin(2026, 4, 2, 12, 0));
    let team = app.login_demo("projekt.mic").await;
    let erb = app.login_demo("sachbearbeitung.erb").await;
    ok(app, &team, "reply_question", &answer).await;
    ok(
        app,
        &erb,
        "unregister_from_session",
        &format!("id={session}"),
    )
    .await;
    let erb_admin = app.login_demo("admin.erb").await;
    ok(app, &erb_admin, "empty_trash", "").await;
    ok(app, &erb, "reprocess_document", &format!("id={a}")).await;
    extracted(app, a, 4, 1).await;

    // Days of use in the summer and over the new year, through the
    // function the sign-in hook calls.
    {
        let mut conn = app.state.pool.acquire().await.expect("connection");
        for at in [
            berlin(2026, 7, 15, 12, 0),
            berlin(2026, 12, 31, 10, 0),
            berlin(2027, 1, 1, 10, 0),
        ] {
            record_activity(&mut conn, erb_id, 2, at)
                .await
                .expect("activity");
        }
    }

    // Saturday 24 October, summer time: a notice for Erbach to
    // acknowledge; e uploaded late in the evening.
    clock.set(berlin(2026, 10, 24, 9, 0));
    let team = app.login_demo("projekt.mic").await;
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let notice = ok(
        app,
        &team,
        "save_announcement",
        "draft%5Btitle%5D=Scanner&draft%5Bbody%5D=Bitte+scannen.&draft%5Bmunicipalities%5D%5B0%5D=2&draft%5Brequires_ack%5D=true",
    )
    .await
    .as_i64()
    .expect("announcement");
    clock.set(berlin(2026, 10, 24, 23, 30));
    let e = app.upload_ok(&erb, "e.pdf", &samples::pdf("e")).await;
    // Sunday 25 October, 02:30 in the first of the two such hours: e filed,
    // Erbach asks; at 23:45 winter time f arrives and the notice is read.
    clock.set(berlin(2026, 10, 25, 2, 30));
    bulk(app, &erb, e, "file", &akte.to_string()).await;
    ok(
        app,
        &erb,
        "ask_question",
        "text=Und+der+Drucker%3F&page_path=/",
    )
    .await;
    clock.set(berlin(2026, 10, 25, 23, 45));
    let f = app.upload_ok(&erb, "f.pdf", &samples::pdf("f")).await;
    ok(
        app,
        &erb,
        "acknowledge_announcement",
        &format!("id={notice}"),
    )
    .await;
    // Monday 26 October, just after midnight: f into the trash; a session
    // Erbach's administration attends; Michelstadt files its March document.
    clock.set(berlin(2026, 10, 26, 0, 15));
    let team = app.login_demo("projekt.mic").await;
    let erb_admin = app.login_demo("admin.erb").await;
    bulk(app, &erb, f, "trash", "").await;
    let session = ok(
        app,
        &team,
        "create_training_session",
        &session_form(berlin(2026, 10, 26, 9, 0), berlin(2026, 10, 26, 10, 0)),
    )
    .await
    .as_i64()
    .expect("session");
    ok(
        app,
        &erb_admin,
        "register_for_session",
        &format!("id={session}"),
    )
    .await;
    clock.set(berlin(2026, 10, 26, 11, 0));
    let erb_admin_id = app.user_id("admin.erb").await;
    let form = format!("session_id={session}&user_id={erb_admin_id}&attended=true");
    ok(app, &team, "mark_attendance", &form).await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    bulk(app, &mic, m, "file", &mic_akte.to_string()).await;
    // Tuesday 27 October: Oberzent's clerk moves to Brombachtal, Erbach's
    // administration is deactivated.
    clock.set(berlin(2026, 10, 27, 9, 0));
    let admin = app.login_demo("admin.mic").await;
    let obz_id = app.user_id("sachbearbeitung.obz").await;
    let form = format!(
        "id={obz_id}&display_name=Sachbearbeitung+Oberzent&email=&municipality_id=4&role=sachbearbeitung"
    );
    ok(app, &admin, "update_user", &form).await;
    let form = format!("id={erb_admin_id}&active=false");
    ok(app, &admin, "set_user_active", &form).await;
    clock
}

/// The dashboard from the summary and from the raw rows, in one snapshot.
async fn both_ways(
    app: &TestApp,
    from: NaiveDate,
    to: NaiveDate,
    granularity: Granularity,
    only: Option<i64>,
) -> (Dashboard, Dashboard) {
    let range = Range {
        from,
        to,
        granularity,
    };
    let mut tx = app.state.pool.begin().await.expect("read");
    let places = storage::municipalities(&mut tx).await.expect("places");
    let shown: Vec<_> = places
        .iter()
        .filter(|m| only.is_none_or(|id| m.id == id))
        .cloned()
        .collect();
    let facts = storage::facts(&mut tx, from, to).await.expect("facts");
    let summary = storage::summary(&mut tx, range, &shown)
        .await
        .expect("summary");
    (
        compute_from_summary(&summary, range, shown.clone(), places.clone(), only),
        compute(&facts, range, shown, places, only),
    )
}

/// A value of the dashboard: figure, municipality, the period starting on `day`.
fn value(d: &Dashboard, metric: Metric, place: &str, day: &str) -> i64 {
    let m = d
        .municipalities
        .iter()
        .position(|m| m.name == place)
        .expect("municipality");
    let p = d
        .periods
        .iter()
        .position(|p| p.start == day)
        .expect("period");
    d.series(metric).expect("series").values[m][p]
}

#[tokio::test]
async fn the_summary_gives_the_figures_of_the_raw_rows_for_every_range() {
    let app = history_app().await;
    let _clock = scripted_history(&app).await;

    // Every range between these days (before, inside and after the
    // history, across both changes of the clocks), by day and by week.
    let anchors = [
        "2026-01-01",
        "2026-03-25",
        "2026-03-26",
        "2026-03-27",
        "2026-03-28",
        "2026-03-29",
        "2026-03-30",
        "2026-03-31",
        "2026-04-01",
        "2026-04-02",
        "2026-04-05",
        "2026-07-15",
        "2026-10-24",
        "2026-10-25",
        "2026-10-26",
        "2026-10-28",
        "2026-12-28",
        "2026-12-31",
        "2027-01-01",
        "2027-01-04",
        "2027-02-01",
    ]
    .map(date);
    let mut compared = 0;
    for (i, &from) in anchors.iter().enumerate() {
        for &to in &anchors[i..] {
            for granularity in [Granularity::Day, Granularity::Week] {
                let (kept, raw) = both_ways(&app, from, to, granularity, None).await;
                assert_eq!(kept, raw, "{from} to {to} by {granularity:?}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 462);
    // One municipality at a time (people are counted for those shown).
    for place in 1..=4 {
        for (from, to) in [("2026-03-23", "2026-04-12"), ("2026-10-19", "2027-01-10")] {
            for granularity in [Granularity::Day, Granularity::Week] {
                let (kept, raw) =
                    both_ways(&app, date(from), date(to), granularity, Some(place)).await;
                assert_eq!(kept, raw, "{place}: {from} to {to} by {granularity:?}");
            }
        }
    }

    // The history counts what it should, so the comparison compares
    // something; later events rewrote earlier days.
    let (spring, _) = both_ways(
        &app,
        date("2026-03-25"),
        date("2026-04-05"),
        Granularity::Day,
        None,
    )
    .await;
    let at = |metric, place, day| value(&spring, metric, place, day);
    assert_eq!(at(Metric::Uploaded, "Erbach", "2026-03-26"), 3);
    assert_eq!(at(Metric::Filed, "Erbach", "2026-03-27"), 2);
    assert_eq!(
        at(Metric::Filed, "Erbach", "2026-04-01"),
        0,
        "d was filed before"
    );
    assert_eq!(
        at(Metric::InboxBacklog, "Erbach", "2026-03-26"),
        2,
        "a and b; c is destroyed"
    );
    assert_eq!(
        at(Metric::InboxBacklog, "Erbach", "2026-03-28"),
        1,
        "b, restored"
    );
    assert_eq!(at(Metric::InboxBacklog, "Michelstadt", "2026-04-05"), 1);
    assert_eq!(
        at(Metric::Pages, "Erbach", "2026-03-29"),
        0,
        "c's pages are destroyed"
    );
    assert_eq!(
        at(Metric::Pages, "Erbach", "2026-03-30"),
        0,
        "a was read again"
    );
    assert_eq!(at(Metric::Pages, "Erbach", "2026-04-02"), 4);
    assert_eq!(at(Metric::OcrPages, "Erbach", "2026-04-02"), 1);
    assert_eq!(
        at(Metric::ToursFinished, "Brombachtal", "2026-03-30"),
        1,
        "moved along"
    );
    assert_eq!(at(Metric::ToursFinished, "Oberzent", "2026-03-30"), 0);
    assert_eq!(
        at(Metric::TrainingAttended, "Erbach", "2026-03-30"),
        0,
        "moved"
    );
    assert_eq!(
        at(Metric::TrainingAttended, "Erbach", "2026-04-03"),
        0,
        "left"
    );
    assert_eq!(at(Metric::QuestionsAsked, "Brombachtal", "2026-03-29"), 1);
    assert_eq!(at(Metric::QuestionsOpen, "Brombachtal", "2026-03-29"), 1);
    assert_eq!(at(Metric::QuestionsOpen, "Brombachtal", "2026-03-30"), 0);
    assert_eq!(
        at(Metric::QuestionsOpen, "Brombachtal", "2026-03-31"),
        1,
        "closing forgotten"
    );
    assert_eq!(at(Metric::QuestionsOpen, "Brombachtal", "2026-04-02"), 0);
    let (autumn, _) = both_ways(
        &app,
        date("2026-10-24"),
        date("2026-10-28"),
        Granularity::Day,
        None,
    )
    .await;
    let at = |metric, place, day| value(&autumn, metric, place, day);
    assert_eq!(at(Metric::Uploaded, "Erbach", "2026-10-24"), 1);
    assert_eq!(at(Metric::Uploaded, "Erbach", "2026-10-25"), 1);
    assert_eq!(at(Metric::Filed, "Erbach", "2026-10-25"), 1);
    assert_eq!(
        at(Metric::InboxBacklog, "Erbach", "2026-10-24"),
        2,
        "b and e"
    );
    assert_eq!(at(Metric::InboxBacklog, "Erbach", "2026-10-26"), 1, "b");
    assert_eq!(at(Metric::InboxBacklog, "Michelstadt", "2026-10-26"), 0);
    assert_eq!(
        at(Metric::TrainingAttended, "Erbach", "2026-10-26"),
        1,
        "also when deactivated"
    );
    assert_eq!(at(Metric::Acknowledgements, "Erbach", "2026-10-25"), 1);
    assert_eq!(at(Metric::QuestionsOpen, "Erbach", "2026-10-28"), 1);
    assert_eq!(
        autumn.standings[1].acks_due, 3,
        "the deactivated administration owes none"
    );
    let (winter, _) = both_ways(
        &app,
        date("2026-12-28"),
        date("2027-01-03"),
        Granularity::Week,
        None,
    )
    .await;
    assert_eq!(
        value(&winter, Metric::ActiveUsers, "Erbach", "2026-12-28"),
        1,
        "once a week"
    );

    // And the maintenance command's comparison over the whole history.
    let report =
        app::rollout::check::compare(&app.state.pool, date("2026-01-01"), date("2027-02-01"))
            .await
            .expect("check");
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert!(report.values > 10_000);
}

/// The summary's rows, without days where everything cancelled out.
async fn summary_rows(app: &TestApp) -> Vec<String> {
    type Day = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    type Year = (i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let days: Vec<Day> = sqlx::query_as(
        "SELECT day, municipality_id, uploaded, filed, inbox_change, pages, ocr_pages,
                tours_finished, attended, questions_asked, questions_open_change
         FROM rollout_days ORDER BY day, municipality_id",
    )
    .fetch_all(&app.state.pool)
    .await
    .expect("summary");
    let years: Vec<Year> = sqlx::query_as(
        "SELECT year, municipality_id, user_id, w0, w1, w2, w3, w4, w5
         FROM user_activity_years ORDER BY year, municipality_id, user_id",
    )
    .fetch_all(&app.state.pool)
    .await
    .expect("years");
    let days = days
        .into_iter()
        .filter(|row| {
            [
                row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10,
            ] != [0; 9]
        })
        .map(|row| format!("{row:?}"));
    let years = years
        .into_iter()
        .filter(|row| [row.3, row.4, row.5, row.6, row.7, row.8] != [0; 6])
        .map(|row| format!("{row:?}"));
    days.chain(years).collect()
}

#[tokio::test]
async fn the_backfill_migration_gives_the_summary_the_use_cases_kept() {
    let app = history_app().await;
    let _clock = scripted_history(&app).await;
    let kept = summary_rows(&app).await;
    assert!(kept.len() > 15, "{kept:?}");
    let mut tx = app::db::begin_write(&app.state.pool).await.expect("write");
    app::rollout_days::refill(&mut tx).await.expect("refill");
    tx.commit().await.expect("commit");
    assert_eq!(summary_rows(&app).await, kept);
}

/// `aktenwerk rollout-check` on the test server's data directory: success
/// and what it printed.
fn rollout_check(app: &TestApp, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aktenwerk"))
        .arg("rollout-check")
        .args(args)
        .env_clear()
        .env("AKTENWERK_DATA_DIR", app.dir.path())
        .output()
        .expect("run aktenwerk");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn rollout_check_names_each_value_the_summary_gets_wrong() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    app.upload_ok(&clerk, "a.pdf", &samples::pdf("a")).await;
    let (ok, out) = rollout_check(&app, &[]);
    assert!(ok, "{out}");
    assert!(out.contains("Einführungsstand in Ordnung"), "{out}");

    let today = day(now());
    sqlx::query("UPDATE rollout_days SET uploaded = uploaded + 2 WHERE municipality_id = 2")
        .execute(&app.state.pool)
        .await
        .expect("tamper");
    let (ok, out) = rollout_check(&app, &["--von", &today, "--bis", &today]);
    assert!(!ok, "{out}");
    let shown = app::time::display_date(local_day(now()));
    assert!(
        out.contains(&format!(
            "ABWEICHUNG Hochgeladene Dokumente – Erbach, {shown}: Zusammenfassung 3, aus den Ereignissen neu berechnet 1"
        )),
        "{out}"
    );
    assert!(out.contains("EINFÜHRUNGSSTAND WEICHT AB: 1 von"), "{out}");

    // Repaired on request: the raw rows win, the fix is in the audit log.
    let (ok, out) = rollout_check(&app, &["--reparieren"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("ABWEICHUNG Hochgeladene Dokumente – Erbach"),
        "{out}"
    );
    assert!(
        out.contains("Zusammenfassung aus den Ereignissen neu berechnet"),
        "{out}"
    );
    assert!(out.contains("Einführungsstand in Ordnung"), "{out}");
    let (ok, out) = rollout_check(&app, &[]);
    assert!(ok, "{out}");
    let rebuilt: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'rollout_summary_rebuilt'",
    )
    .fetch_one(&app.state.pool)
    .await
    .expect("audit");
    assert_eq!(rebuilt, 1);

    let (ok, out) = rollout_check(&app, &["--von", "gestern"]);
    assert!(!ok);
    assert!(out.contains("kein gültiges Datum"), "{out}");
}
