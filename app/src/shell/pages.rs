//! The start page, the sections that later work fills, and the error pages.

use crate::auth::use_current_user;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_current_user();
    let greeting = user
        .as_ref()
        .map(|u| format!("Guten Tag, {}!", u.display_name))
        .unwrap_or_else(|| "Guten Tag!".into());
    // The sections this user may open that have a tile.
    let tiles: Vec<_> = user
        .as_ref()
        .map(|u| {
            super::sections::visible_to(u)
                .filter_map(|section| section.tile.map(|text| (section, text)))
                .collect()
        })
        .unwrap_or_default();
    // Clerks see what waits for them today instead of the tiles.
    let clerk = user
        .as_ref()
        .is_some_and(|u| crate::auth::guard::Rule::Clerk.allows(u));
    // In practice mode the banner says where the user is; the greeting
    // keeps the real municipality.
    let municipality = user
        .map(|u| u.home_municipality().name.clone())
        .unwrap_or_default();
    view! {
        <Title text="Start"/>
        <h1>{greeting}</h1>
        <p class="lead">
            {format!("Willkommen im Aktenwerk der Gemeinde {municipality}. ")}
            "Hier legen Sie Dokumente ab, finden Akten im gemeinsamen Aktenplan und bleiben über die Einführung auf dem Laufenden."
        </p>
        {if clerk {
            view! {
                <section aria-label="Heute für Sie" data-tour="postkorb-heute">
                    <crate::postkorb::page::PostkorbBody/>
                </section>
            }.into_any()
        } else {
            view! {
                <ul class="card-grid" data-tour="startseite-bereiche">
                    {tiles
                        .into_iter()
                        .map(|(section, text)| view! { <SectionCard href=section.href title=section.label text/> })
                        .collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn SectionCard(href: &'static str, title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <li class="card">
            <h2><a href=href>{title}</a></h2>
            <p>{text}</p>
        </li>
    }
}

/// German 404 page; answers with status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Seite nicht gefunden"/>
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <main id="inhalt" class="content standalone" tabindex="-1">
            <h1>"Seite nicht gefunden"</h1>
            <p>"Diese Adresse gibt es im Aktenwerk nicht. Vielleicht wurde der Link falsch abgetippt oder die Seite verschoben."</p>
            <p><a href="/">"Zur Startseite"</a></p>
        </main>
    }
}

/// The accessibility statement public bodies must publish (BITV 2.0 § 7).
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <Title text="Erklärung zur Barrierefreiheit"/>
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <main id="inhalt" class="content standalone" tabindex="-1">
            <h1>"Erklärung zur Barrierefreiheit"</h1>
            <p>
                "Die Gemeinden Michelstadt, Erbach, Oberzent und Brombachtal sind bemüht, Aktenwerk im Einklang mit der "
                "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu machen."
            </p>
            <h2>"Stand der Vereinbarkeit"</h2>
            <p>
                "Aktenwerk wird gegen die Anforderungen der WCAG 2.1 auf Stufe AA entwickelt und automatisiert geprüft. "
                "Alle Funktionen sind mit der Tastatur bedienbar; Seiten bleiben ohne JavaScript lesbar."
            </p>
            <h2>"Barriere melden"</h2>
            <p>
                "Wenn Ihnen Barrieren auffallen, wenden Sie sich bitte an das Projektteam in der Stadtverwaltung Michelstadt "
                "oder an die IT-Administration Ihrer Gemeinde."
            </p>
            <h2>"Durchsetzungsverfahren"</h2>
            <p>
                "Erhalten Sie keine zufriedenstellende Antwort, können Sie sich an die Durchsetzungs- und Überwachungsstelle "
                "für barrierefreie Informationstechnik des Landes Hessen wenden."
            </p>
            <p><a href="/">"Zur Startseite"</a></p>
        </main>
    }
}
