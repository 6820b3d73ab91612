//! The permission matrix: one line per endpoint (server function or plain
//! route) with the call to make and who may make it. `permissions.rs`
//! checks that this table and the server's registries list exactly the
//! same endpoints, then runs every line for every principal.
//!
//! Placeholders in the arguments are filled by the test:
//! - objects that belong to a municipality (`{document}`, `{akte}`,
//!   `{trashed}`, `{vorgang}`, `{wiedervorlage}`, `{zuweisung}`, `{laufweg}`, `{laufweg_step}`, `{vertretung}`, `{funktion}`, `{scan_ordner}`, `{postfach}`, `{user}`, `{question}`, `{announcement}`, `{session}`,
//!   `{run}`, `{municipality}`) once with an object of Michelstadt (the
//!   caller is from Erbach or practises) and once with an id that does not
//!   exist; both answers must be the same.
//! - objects shared by every municipality (`{guide}`, `{guide_version}`,
//!   `{faq}`, `{tour}`, `{proposal}`, `{position}`): a real one for callers
//!   who may not use the endpoint (they must be refused), an unknown id for
//!   those who may (so that nothing shared is changed).

/// Who makes a call. One bit per principal.
pub type Who = u16;

pub const ANONYMOUS: Who = 1;
/// A session whose password is a one-time password still to be changed.
pub const MUST_CHANGE: Who = 1 << 1;
/// A session whose account was deactivated after login.
pub const DEACTIVATED: Who = 1 << 2;
/// `schulung.erb`: a trainee, always in practice mode.
pub const TRAINEE: Who = 1 << 3;
/// `sachbearbeitung.erb`
pub const CLERK: Who = 1 << 4;
/// `projekt.erb`
pub const PROJECT: Who = 1 << 5;
/// `admin.erb`
pub const ADMIN: Who = 1 << 6;
/// `admin.mic`, responsible for all municipalities.
pub const ALL_ADMIN: Who = 1 << 7;
/// `sachbearbeitung.erb` after switching practice mode on.
pub const PRACTICE: Who = 1 << 8;

/// Everyone signed in with a usable session.
pub const USERS: Who = TRAINEE | CLERK | PROJECT | ADMIN | ALL_ADMIN | PRACTICE;
/// Everyone, signed in or not.
pub const PUBLIC: Who = ANONYMOUS | MUST_CHANGE | DEACTIVATED | USERS;
/// Whoever acts as a clerk (Sachbearbeitung); in practice mode everyone
/// does, so the trainee too.
pub const CLERKS: Who = CLERK | PRACTICE | TRAINEE;
pub const ADMINS: Who = ADMIN | ALL_ADMIN;
/// Everyone but a trainee outside practice (there is none: trainees always
/// practise, and act as clerks there).
pub const AKTEN: Who = USERS;
pub const TEAM: Who = PROJECT;

/// How an endpoint is called.
#[derive(Clone, Copy, Debug)]
pub enum Call {
    /// A server function with form-encoded arguments.
    Api(&'static str, &'static str),
    /// A server function that takes JSON.
    ApiJson(&'static str, &'static str),
    /// A plain route: registered path, method, request path (with query),
    /// and body (form-encoded for POST; uploads send it as the file).
    Route {
        registered: &'static str,
        method: &'static str,
        path: &'static str,
        body: &'static str,
        upload: bool,
    },
    /// A Leptos page: registered path and request path. Pages render for
    /// everyone signed in (a refusal shows inside the page), so what counts
    /// is that no foreign data is rendered into them.
    Page(&'static str, &'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub call: Call,
    /// Who may use the endpoint at all.
    pub allowed: Who,
    /// Who legitimately sees objects of every municipality here (the
    /// project team's cross-municipality view of communication, the
    /// all-municipality admin): for them only the permission is checked.
    pub sees_all: Who,
    /// Statuses a signed-in principal who may not use the endpoint can get.
    pub refusal: &'static [u16],
    /// Why the line is as it is, if it is not obvious.
    pub note: &'static str,
}

impl Entry {
    pub fn endpoint(&self) -> String {
        match self.call {
            Call::Api(name, _) | Call::ApiJson(name, _) => format!("POST /api/{name}"),
            Call::Route {
                registered, method, ..
            } => format!("{method} {registered}"),
            Call::Page(registered, _) => format!("GET {registered}"),
        }
    }

    const fn sees_all(mut self, who: Who) -> Entry {
        self.sees_all |= who;
        self
    }

    const fn allowed_to(mut self, who: Who) -> Entry {
        self.allowed = who;
        self
    }

    const fn refused_with(mut self, statuses: &'static [u16]) -> Entry {
        self.refusal = statuses;
        self
    }

    const fn note(mut self, note: &'static str) -> Entry {
        self.note = note;
        self
    }
}

const REFUSED: &[u16] = &[403, 404];

const fn api(name: &'static str, form: &'static str, allowed: Who) -> Entry {
    Entry {
        call: Call::Api(name, form),
        allowed,
        sees_all: ALL_ADMIN,
        refusal: REFUSED,
        note: "",
    }
}

const fn api_json(name: &'static str, body: &'static str, allowed: Who) -> Entry {
    Entry {
        call: Call::ApiJson(name, body),
        allowed,
        sees_all: ALL_ADMIN,
        refusal: REFUSED,
        note: "",
    }
}

const fn get(registered: &'static str, path: &'static str, allowed: Who) -> Entry {
    Entry {
        call: Call::Route {
            registered,
            method: "GET",
            path,
            body: "",
            upload: false,
        },
        allowed,
        sees_all: ALL_ADMIN,
        refusal: REFUSED,
        note: "",
    }
}

const fn post(
    registered: &'static str,
    path: &'static str,
    body: &'static str,
    allowed: Who,
) -> Entry {
    Entry {
        call: Call::Route {
            registered,
            method: "POST",
            path,
            body,
            upload: false,
        },
        allowed,
        sees_all: ALL_ADMIN,
        refusal: REFUSED,
        note: "",
    }
}

const fn upload(registered: &'static str, path: &'static str, allowed: Who) -> Entry {
    Entry {
        call: Call::Route {
            registered,
            method: "POST",
            path,
            body: "Inhalt aus der Rechtematrix",
            upload: true,
        },
        allowed,
        sees_all: ALL_ADMIN,
        refusal: REFUSED,
        note: "",
    }
}

const fn page(registered: &'static str, path: &'static str) -> Entry {
    Entry {
        call: Call::Page(registered, path),
        allowed: USERS,
        sees_all: ALL_ADMIN,
        refusal: REFUSED,
        note: "",
    }
}

/// Found by this matrix and closed (issue 14): a user of another
/// municipality answered 403, an unknown id 404.
const FOREIGN_USER_HOLE: &str =
    "issue 14: a municipal admin's foreign user answers like an unknown id";

/// The whole matrix. Lines run in this order for each principal; the
/// logout goes last because it ends the session.
pub const MATRIX: &[Entry] = &[
    // Akten
    api(
        "create_akte",
        "position_id={position}&title=Matrix&responsible=Bauamt&opened_on=2026-11-25",
        AKTEN,
    ),
    api("get_akte", "id={akte}", AKTEN),
    // Vorgänge
    api(
        "open_vorgang",
        "akte_id={akte}&title=Matrix&opened_on=2026-12-07",
        AKTEN,
    ),
    api("list_vorgaenge", "akte_id={akte}", AKTEN),
    api("set_vorgang_status", "id={vorgang}&status=InProgress", AKTEN),
    api("get_vorgang", "id={vorgang}", AKTEN),
    api("vorgang_documents", "vorgang_id={vorgang}", CLERKS),
    api("close_vorgang", "id={vorgang}&closed_on=2026-12-07", AKTEN),
    // Postkorb: Wiedervorlagen and Zuweisungen
    api("load_postkorb", "fuer={user}", CLERKS),
    api("load_follow_ups", "kind=vorgang&id={vorgang}", CLERKS),
    api(
        "set_wiedervorlage",
        "kind=dokument&id={document}&for_user_id={user}&due_on=2099-01-04&reason=Matrix",
        CLERKS,
    ),
    api(
        "settle_wiedervorlage",
        "id={wiedervorlage}&action=erledigt&due_on=",
        CLERKS,
    ),
    api(
        "assign_to",
        "kind=vorgang&id={vorgang}&to_user_id={user}&note=Matrix",
        CLERKS,
    ),
    api("finish_assignment", "id={zuweisung}", CLERKS),
    // Absences and Vertretung
    api("load_abwesenheiten", "", CLERK | ADMINS),
    api(
        "set_abwesenheit",
        "absent_id={user}&deputy_id={user}&starts_on=2099-02-01&ends_on=2099-02-05&note=Matrix",
        CLERK | ADMINS,
    ),
    api("cancel_abwesenheit", "id={vertretung}", CLERK | ADMINS),
    // Funktionen a Laufweg can ask (the Administration's own municipality)
    api("load_funktionen", "", ADMINS),
    api("save_funktion", "id={funktion}&name=Matrix-Funktion", ADMINS),
    api("remove_funktion", "id={funktion}", ADMINS),
    api(
        "set_funktion_member",
        "id={funktion}&user_id={user}&member=true",
        ADMINS,
    ),
    // Scan-Ordner (the Administration's own municipality)
    api("load_scan_ordner", "", ADMINS),
    api(
        "create_scan_ordner",
        "name=Matrix-Scan&responsible_id={user}&aktenzeichen=",
        ADMINS,
    ),
    api("remove_scan_ordner", "id={scan_ordner}", ADMINS),
    // Postfächer (the Administration's own municipality); the login is
    // tried against a port where nothing listens, so nothing is saved.
    api("load_postfaecher", "", ADMINS),
    api(
        "create_postfach",
        "form[name]=Matrix&form[host]=127.0.0.1&form[port]=9&form[encryption]=keine\
         &form[login]=x&form[password]=y&form[folder]=&form[after_import]=markieren\
         &form[move_to]=&form[responsible_id]={user}&form[aktenzeichen]=",
        ADMINS,
    ),
    api("fetch_postfach_now", "id={postfach}", ADMINS),
    api("remove_postfach", "id={postfach}", ADMINS),
    // Laufwege: Mitzeichnung and Freigabe
    api("load_laufwege", "document_id={document}", CLERKS),
    api(
        "start_laufweg",
        "document_id={document}&title=Matrix&steps[0][user_id]={user}&steps[0][kind]=freigabe&steps[0][stage]=1",
        CLERKS,
    ),
    api(
        "answer_laufweg_step",
        "step_id={laufweg_step}&action=zustimmen&remark=",
        CLERKS,
    ),
    api("withdraw_laufweg", "id={laufweg}", CLERKS),
    api("laufweg_return_seen", "id={laufweg}", CLERKS),
    api("close_akte", "id={akte}&closed_on=2026-11-30", AKTEN),
    api("share_akte", "id={akte}&municipality_id=2&shared=true", AKTEN),
    // Aktenplan and its coordination
    api("load_abstimmung", "", USERS),
    api(
        "propose_change",
        "proposal[kind]=rename&proposal[position_code]=621.3&proposal[new_code]=&proposal[title]=Matrix&proposal[description]=&proposal[keywords]=&proposal[retention]=10&proposal[trigger]=Aktenschluss&proposal[appraisal]=B&proposal[justification]=Matrix-Begruendung",
        CLERKS | PROJECT,
    ),
    api(
        "comment_proposal",
        "proposal_id={proposal}&text=Matrix",
        CLERKS | PROJECT,
    ),
    api(
        "decide_proposal",
        "proposal_id={proposal}&approve=false&note=Matrix",
        TEAM,
    ),
    api("publish_plan", "title=Matrix&notes=", TEAM),
    api("list_releases", "", USERS),
    api("import_plan_csv", "csv=x&title=Matrix&publish=false", TEAM),
    api("load_explorer", "", USERS),
    api("plan_children", "parent_id={position}", USERS),
    api("search_plan", "query=GEHEIMMIC", USERS),
    // Announcements
    api("comms_status", "", USERS),
    api("list_news", "", USERS).sees_all(TEAM),
    api("acknowledge_announcement", "id={announcement}", USERS).sees_all(TEAM),
    api("mark_announcement_read", "id={announcement}", USERS).sees_all(TEAM),
    api("list_managed_announcements", "", TEAM).sees_all(TEAM),
    api("announcement_stats", "id={announcement}", TEAM).sees_all(TEAM),
    api("announcement_editor", "id={announcement}", TEAM).sees_all(TEAM),
    api(
        "save_announcement",
        "id={announcement}&draft[title]=Matrix&draft[body]=Matrix",
        TEAM,
    )
    .sees_all(TEAM),
    api("delete_announcement", "id={announcement}", TEAM).sees_all(TEAM),
    api("preview_markdown", "text=Matrix", TEAM),
    // Audit
    api("list_audit", "document={document}", ADMINS),
    api("verify_audit", "", ADMINS),
    // Authentication
    api("current_user", "", PUBLIC).note("answers null without a session"),
    api(
        "change_password",
        "current=falsch&new_password=Matrix-Passwort-2026&repeat=Matrix-Passwort-2026",
        USERS | MUST_CHANGE,
    )
    .refused_with(&[401]),
    // Documents
    api("upload_limit_mb", "", USERS)
        .note("issue 14: answered 200 without a session"),
    api("akte_documents", "akte_id={akte}", CLERKS),
    api("load_inbox", "", CLERKS),
    api("get_document", "id={document}", CLERKS),
    api("ablage_vorschlaege", "document_id={document}", CLERKS),
    api(
        "save_document",
        "id={document}&meta[title]=Matrix&meta[doc_type]=eingang&meta[document_date]=&meta[correspondent]=&meta[tags]=&meta[notes]=",
        CLERKS,
    ),
    api(
        "bulk_documents",
        "ids[0]={document}&action=tag&value=Matrix",
        CLERKS,
    ),
    api(
        "bulk_documents",
        "ids[0]={trashed}&action=untrash&value=",
        CLERKS,
    )
    .note("out of another municipality's trash"),
    api(
        "bulk_documents",
        "ids[0]={document}&action=file&value={akte}",
        CLERKS,
    ),
    api("get_document", "id={trashed}", CLERKS),
    api("restore_document_version", "id={document}&number=1", CLERKS),
    api(
        "bulk_documents",
        "ids[0]={document}&action=file_vorgang&value={vorgang}",
        CLERKS,
    )
    .note("into another municipality's Vorgang"),
    api("find_filing_targets", "query=GEHEIMMIC", CLERKS),
    api("list_trash", "", CLERKS | ADMINS),
    api("empty_trash", "", ADMINS),
    api("verify_store", "", ALL_ADMIN)
        .note("the store is shared: only admins responsible for all municipalities"),
    api("document_history", "id={document}", CLERKS),
    // Guides (shared by all municipalities)
    api("guide_library", "", USERS),
    api("get_guide", "id={guide}", USERS),
    api(
        "save_guide",
        "id={guide}&draft[kind]=handbuch&draft[title]=Matrix&draft[summary]=",
        TEAM,
    ),
    api(
        "add_guide_text",
        "id={guide}&body=Matrix&change_note=Matrix",
        TEAM,
    ),
    api("acknowledge_guide", "id={guide}", USERS),
    api("delete_guide", "id={guide}", TEAM),
    // Practice mode (no ids: each acts on the caller's own area)
    api("load_practice", "", USERS),
    api("enter_practice", "", USERS),
    api("leave_practice", "", USERS & !TRAINEE),
    api("reset_practice", "", PRACTICE | TRAINEE)
        .refused_with(&[422])
        .note("outside practice mode there is nothing to reset"),
    // Text recognition
    api("document_text_state", "id={document}", CLERKS),
    api("reprocess_document", "id={document}", CLERKS),
    api("processing_queue", "", ADMINS),
    api("retry_failed_jobs", "", ADMINS),
    api("document_found_text", "id={document}", CLERKS),
    // Questions and FAQ
    api("ask_question", "text=Matrix&page_path=/", USERS),
    api("list_questions", "", USERS).sees_all(TEAM),
    api("get_question", "id={question}", USERS).sees_all(TEAM),
    api("reply_question", "id={question}&text=Matrix", USERS).sees_all(TEAM),
    api("close_question", "id={question}", USERS).sees_all(TEAM),
    api("question_to_faq", "id={question}", TEAM).sees_all(TEAM),
    api("list_faq", "", USERS),
    api(
        "save_faq",
        "id={faq}&question=Matrix&answer=Matrix",
        TEAM,
    ),
    api("delete_faq", "id={faq}", TEAM),
    // Rollout figures
    api(
        "rollout_dashboard",
        "request[von]=&request[bis]=&request[einteilung]=&request[gemeinde]={municipality}",
        ADMINS | TEAM,
    )
    .sees_all(TEAM),
    // Search
    api(
        "search_documents",
        "params[q]=GEHEIMMIC&params[sort]=Relevance&params[page]=1",
        CLERKS,
    ),
    api("suggest_documents", "prefix=GEHEIMMIC", CLERKS),
    // Tours
    api("load_tour_state", "", USERS),
    api("start_tour", "tour_id={tour}", USERS),
    api("move_tour", "run_id={run}&from=0&to=1", USERS),
    api("end_tour", "run_id={run}", USERS),
    api("answer_tour_offer", "never=false", USERS),
    api("load_training_page", "", USERS),
    api("training_overview", "municipality={municipality}", TEAM).sees_all(TEAM),
    api("tour_editor", "", TEAM),
    api_json(
        "save_tour",
        r#"{"tour":{"id":{tour},"title":"Matrix","description":"","roles":[],"auto_offer":false,"position":1,"steps":[]}}"#,
        TEAM,
    ),
    api("delete_tour", "id={tour}", TEAM),
    // Training sessions
    api(
        "list_training_sessions",
        "municipality={municipality}",
        USERS,
    )
    .sees_all(TEAM),
    api("get_training_session", "id={session}", USERS).sees_all(TEAM),
    api("register_for_session", "id={session}", USERS).sees_all(TEAM),
    api("unregister_from_session", "id={session}", USERS)
        .sees_all(TEAM)
        .note("issue 14: a foreign session answered 409, an unknown one 404"),
    api(
        "create_training_session",
        "session[title]=Matrix&session[starts]=2030-01-10T09:00&session[ends]=2030-01-10T11:00&session[capacity]=5&session[municipality_ids][0]={municipality}",
        TEAM,
    )
    .sees_all(TEAM),
    api(
        "update_training_session",
        "id={session}&session[title]=Matrix&session[starts]=2030-01-10T09:00&session[ends]=2030-01-10T11:00&session[capacity]=5",
        TEAM,
    )
    .sees_all(TEAM),
    api(
        "cancel_training_session",
        "id={session}&reason=Matrix",
        TEAM,
    )
    .sees_all(TEAM),
    api(
        "mark_attendance",
        "session_id={session}&user_id={user}&attended=true",
        TEAM,
    )
    .sees_all(TEAM),
    api("moved_up_notices", "", USERS),
    api("dismiss_moved_up_notices", "", USERS),
    api("my_attended_sessions", "", USERS),
    api("training_attendance_summary", "", TEAM).sees_all(TEAM),
    // User administration
    api("list_users", "", ADMINS),
    api(
        "create_user",
        "username=matrix.neu&display_name=Matrix&email=&municipality_id={municipality}&role=sachbearbeitung",
        ADMINS,
    ),
    api(
        "update_user",
        "id={user}&display_name=Matrix&email=&municipality_id={municipality}&role=sachbearbeitung",
        ADMINS,
    )
    .note(FOREIGN_USER_HOLE),
    api("set_user_active", "id={user}&active=false", ADMINS)
        .note(FOREIGN_USER_HOLE),
    api("reset_password", "id={user}", ADMINS).note(FOREIGN_USER_HOLE),
    // Plain routes
    post(
        "/anmelden",
        "/anmelden",
        "benutzername=matrix.niemand&passwort=falsch",
        PUBLIC,
    )
    .note("the login form itself"),
    get("/healthz", "/healthz", PUBLIC),
    get("/pkg/{*file}", "/pkg/aktenwerk.css", PUBLIC).note("the browser bundle: static files"),
    get("/export/aktenplan.csv", "/export/aktenplan.csv", USERS),
    get(
        "/dokumente/{id}/datei",
        "/dokumente/{document}/datei",
        CLERKS,
    ),
    get(
        "/dokumente/{id}/vorschaubild",
        "/dokumente/{document}/vorschaubild",
        CLERKS,
    ),
    get(
        "/dokumente/{id}/laufwege.csv",
        "/dokumente/{document}/laufwege.csv",
        CLERKS,
    ),
    get(
        "/dienstanweisungen/versionen/{id}/datei",
        "/dienstanweisungen/versionen/{guide_version}/datei",
        USERS,
    ),
    get(
        "/schulungstermine/{id}/kalender.ics",
        "/schulungstermine/{session}/kalender.ics",
        USERS,
    )
    .sees_all(TEAM),
    get(
        "/einfuehrung/zahlen.csv",
        "/einfuehrung/zahlen.csv?gemeinde={municipality}",
        ADMINS | TEAM,
    )
    .sees_all(TEAM),
    get(
        "/schulungstermine/{id}/teilnehmende.csv",
        "/schulungstermine/{session}/teilnehmende.csv",
        TEAM,
    )
    .sees_all(TEAM),
    upload(
        "/dokumente/hochladen",
        "/dokumente/hochladen?name=Matrix.txt&akte={akte}",
        CLERKS,
    ),
    upload(
        "/dokumente/hochladen",
        "/dokumente/hochladen?name=Matrix.txt&vorgang={vorgang}",
        CLERKS,
    )
    .note("into a Vorgang"),
    upload(
        "/dokumente/hochladen",
        "/dokumente/hochladen?name=Matrix.txt&dokument={document}",
        CLERKS,
    )
    .note("a new version of an existing document"),
    upload(
        "/dienstanweisungen/{id}/pdf",
        "/dienstanweisungen/{guide}/pdf?name=Matrix.pdf",
        TEAM,
    ),
    // Pages
    page("/anmelden", "/anmelden").allowed_to(PUBLIC),
    page("/barrierefreiheit", "/barrierefreiheit").allowed_to(PUBLIC),
    page("/", "/"),
    page("/posteingang", "/posteingang").allowed_to(CLERKS),
    page("/dokumente/{id}", "/dokumente/{document}"),
    page("/papierkorb", "/papierkorb").allowed_to(CLERKS | ADMINS),
    page("/aktenplan", "/aktenplan"),
    page("/aktenplan/abstimmung", "/aktenplan/abstimmung"),
    page("/aktenplan/versionen", "/aktenplan/versionen"),
    page("/aktenplan/import", "/aktenplan/import"),
    page("/aktenplan/{code}", "/aktenplan/621.1"),
    page("/akten/{id}", "/akten/{akte}"),
    page("/vorgaenge/{id}", "/vorgaenge/{vorgang}"),
    page("/postkorb", "/postkorb").allowed_to(CLERKS),
    // The query is echoed into the page, so it must not be the marker.
    page("/suche", "/suche?q=Bescheid").allowed_to(CLERKS),
    page("/schulung", "/schulung"),
    page("/schulung/nachweis", "/schulung/nachweis").allowed_to(TEAM),
    page("/schulung/rundgaenge", "/schulung/rundgaenge").allowed_to(TEAM),
    page("/schulung/rundgaenge/{id}", "/schulung/rundgaenge/{tour}").allowed_to(TEAM),
    page("/uebung", "/uebung"),
    page("/neuigkeiten", "/neuigkeiten").sees_all(TEAM),
    page("/neuigkeiten/neu", "/neuigkeiten/neu").allowed_to(TEAM),
    page("/neuigkeiten/verwalten", "/neuigkeiten/verwalten")
        .allowed_to(TEAM)
        .sees_all(TEAM),
    page(
        "/neuigkeiten/{id}/bearbeiten",
        "/neuigkeiten/{announcement}/bearbeiten",
    )
    .sees_all(TEAM),
    page(
        "/neuigkeiten/{id}/statistik",
        "/neuigkeiten/{announcement}/statistik",
    )
    .sees_all(TEAM),
    page("/dienstanweisungen", "/dienstanweisungen"),
    page(
        "/dienstanweisungen/bereich/{screen}",
        "/dienstanweisungen/bereich/posteingang",
    ),
    page("/dienstanweisungen/{id}", "/dienstanweisungen/{guide}"),
    page("/fragen", "/fragen").sees_all(TEAM),
    page("/fragen/faq", "/fragen/faq"),
    page("/fragen/{id}", "/fragen/{question}").sees_all(TEAM),
    page("/schulungstermine", "/schulungstermine").sees_all(TEAM),
    page("/schulungstermine/neu", "/schulungstermine/neu").sees_all(TEAM),
    page("/schulungstermine/{id}", "/schulungstermine/{session}").sees_all(TEAM),
    page(
        "/schulungstermine/{id}/bearbeiten",
        "/schulungstermine/{session}/bearbeiten",
    )
    .sees_all(TEAM),
    page("/einfuehrung", "/einfuehrung")
        .allowed_to(TEAM | ADMINS)
        .sees_all(TEAM),
    page("/konto/passwort", "/konto/passwort").allowed_to(USERS | MUST_CHANGE),
    page("/verwaltung", "/verwaltung").allowed_to(ADMINS),
    page("/abwesenheit", "/abwesenheit").allowed_to(CLERK | ADMINS),
    page("/verwaltung/funktionen", "/verwaltung/funktionen").allowed_to(ADMINS),
    page("/verwaltung/scan-ordner", "/verwaltung/scan-ordner").allowed_to(ADMINS),
    page("/verwaltung/postfaecher", "/verwaltung/postfaecher").allowed_to(ADMINS),
    page("/verwaltung/protokoll", "/verwaltung/protokoll").allowed_to(ADMINS),
    page("/verwaltung/verarbeitung", "/verwaltung/verarbeitung").allowed_to(ADMINS),
    post("/abmelden", "/abmelden", "", PUBLIC).note("last: it ends the session"),
];
