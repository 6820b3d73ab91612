//! Aktenwerk's user interface, server functions and server-side use cases,
//! shared by the server (feature `ssr`) and the browser (feature `hydrate`).
//!
//! One folder per feature (`aktenplan/`, `akten/`, `documents/`, …), each
//! with its types in `<feature>.rs`, pages, `server_fns.rs`, and behind `ssr`
//! its use cases (`service.rs`: guard, transaction, storage, audit, commit)
//! and `storage.rs` (SQL only). Below the features: `error` (one error type,
//! mapped once to HTTP and German), `db`, `time` (the one clock and Berlin
//! calendar), `ui` (page building blocks), `state` (the handles a running
//! server holds). Above them: `shell` (layout, navigation, start page) and
//! [`App`], which compose the features. ARCHITECTURE.md gives the order in
//! which features may depend on each other.

pub mod akten;
pub mod aktenplan;
pub mod announcements;
#[cfg(test)]
mod architecture;
pub mod audit;
pub mod auth;
pub mod documents;
pub mod error;
pub mod fold;
pub mod guides;
pub mod markdown;
pub mod municipalities;
pub mod practice;
pub mod processing;
pub mod questions;
pub mod rollout;
#[cfg(feature = "ssr")]
pub mod rollout_days;
pub mod search;
pub mod shell;
pub mod tours;
pub mod training_sessions;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod time;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    shell::security::send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="de">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: router and routes. Every page except the login page sits
/// inside the [`shell::layout::Layout`] with header, navigation and footer.
///
/// Pages render in `SsrMode::Async`: the server waits for their data and
/// sends complete HTML, so every page is readable without JavaScript (the
/// default out-of-order streaming needs a script to place late content).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="aktenwerk-css" href="/pkg/aktenwerk.css"/>
        <Title formatter=|text: String| {
            if text.is_empty() { "Aktenwerk".to_string() } else { format!("{text} – Aktenwerk") }
        }/>
        <Router>
            <Routes fallback=shell::pages::NotFoundPage>
                <Route ssr=SsrMode::Async path=path!("/anmelden") view=auth::login_page::LoginPage/>
                <Route ssr=SsrMode::Async path=path!("/barrierefreiheit") view=shell::pages::AccessibilityPage/>
                <ParentRoute ssr=SsrMode::Async path=path!("") view=shell::layout::Layout>
                    <Route ssr=SsrMode::Async path=path!("") view=shell::pages::HomePage/>
                    <Route ssr=SsrMode::Async path=path!("/posteingang") view=documents::inbox_page::PosteingangPage/>
                    <Route ssr=SsrMode::Async path=path!("/dokumente/:id") view=documents::document_page::DocumentPage/>
                    <Route ssr=SsrMode::Async path=path!("/papierkorb") view=documents::trash_page::TrashPage/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan") view=aktenplan::explorer::ExplorerPage/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/abstimmung") view=aktenplan::abstimmung::page::AbstimmungPage/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/versionen") view=aktenplan::abstimmung::page::ReleasesPage/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/import") view=aktenplan::csv_import_page::CsvImportPage/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/:code") view=aktenplan::explorer::ExplorerPage/>
                    <Route ssr=SsrMode::Async path=path!("/akten/:id") view=akten::page::AktePage/>
                    <Route ssr=SsrMode::Async path=path!("/suche") view=search::page::SearchPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulung") view=tours::record_page::SchulungPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulung/nachweis") view=tours::record_page::RecordOverviewPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulung/rundgaenge") view=tours::editor_page::TourListPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulung/rundgaenge/:id") view=tours::editor_page::TourEditPage/>
                    <Route ssr=SsrMode::Async path=path!("/uebung") view=practice::page::PracticePage/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten") view=announcements::page::NeuigkeitenPage/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/neu") view=announcements::editor_page::AnnouncementEditorPage/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/verwalten") view=announcements::stats_page::ManageAnnouncementsPage/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/:id/bearbeiten") view=announcements::editor_page::AnnouncementEditorPage/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/:id/statistik") view=announcements::stats_page::AnnouncementStatsPage/>
                    <Route ssr=SsrMode::Async path=path!("/dienstanweisungen") view=guides::page::LibraryPage/>
                    <Route ssr=SsrMode::Async path=path!("/dienstanweisungen/bereich/:screen") view=guides::page::ScreenGuidePage/>
                    <Route ssr=SsrMode::Async path=path!("/dienstanweisungen/:id") view=guides::page::GuidePage/>
                    <Route ssr=SsrMode::Async path=path!("/fragen") view=questions::page::QuestionsPage/>
                    <Route ssr=SsrMode::Async path=path!("/fragen/faq") view=questions::page::FaqPage/>
                    <Route ssr=SsrMode::Async path=path!("/fragen/:id") view=questions::page::QuestionPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine") view=training_sessions::page::TrainingSessionsPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine/neu") view=training_sessions::page::NewTrainingSessionPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine/:id") view=training_sessions::page::TrainingSessionPage/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine/:id/bearbeiten") view=training_sessions::page::EditTrainingSessionPage/>
                    <Route ssr=SsrMode::Async path=path!("/einfuehrung") view=rollout::page::RolloutPage/>
                    <Route ssr=SsrMode::Async path=path!("/konto/passwort") view=auth::password_page::ChangePasswordPage/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung") view=users::admin_page::UserAdminPage/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/protokoll") view=audit::page::AuditPage/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/verarbeitung") view=processing::queue_page::QueuePage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
