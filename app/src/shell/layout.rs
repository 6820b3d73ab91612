//! Header, navigation and footer around every signed-in page.

use super::sections::{Badge, Section};
use crate::auth::SessionUser;
use crate::server_json::JsonValue;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn Layout() -> impl IntoView {
    // Known before rendering starts: the server's session layer put the
    // signed-in person into the request, and the browser reads the same
    // value from the page instead of asking again. Nothing here waits,
    // so no page is built twice: behind a `Suspense` that waited for the
    // person, Leptos walked each page up to three times while rendering
    // on the server, and every walk ran the page's server functions anew.
    let user =
        SharedValue::<Option<SessionUser>, JsonValue>::new_with_encoding(signed_in).into_inner();
    // Unread announcements, answers and the banner (announcements/header.rs).
    let comms = crate::announcements::header::status_resource();
    let frame = match user {
        // Until the one-time password is replaced, only the
        // password page is reachable: no navigation, search,
        // tours or notices, whose server calls would be refused.
        Some(user) if user.must_change_password => {
            provide_context(user.clone());
            view! {
                            <header class="site-header">
                                <div class="header-bar">
                                    <span class="brand">
                                        <span class="brand-mark" aria-hidden="true">"A"</span>
                                        <span class="brand-name">"Aktenwerk"</span>
                                    </span>
                                    <div class="user-box">
                                        <p class="user-name">
                                            <span class="visually-hidden">"Angemeldet als "</span>
                                            {user.display_name.clone()}
                                        </p>
                                        <form method="post" action="/abmelden" class="logout-form">
                                            <button type="submit" class="button secondary small">"Abmelden"</button>
                                        </form>
                                    </div>
                                </div>
                            </header>
                            <main id="inhalt" class="content" tabindex="-1">
                                <Outlet/>
                            </main>
                            <Footer/>
                        }
                            .into_any()
        }
        Some(user) if user.in_practice() => {
            provide_context(user.clone());
            crate::tours::engine::provide_tours();
            // The practice colour frames the whole page, and the
            // banner comes first, so nobody mistakes practice
            // for the real thing.
            view! {
                <crate::practice::page::PracticeBanner user=user.clone()/>
                <div class="practice-frame" aria-hidden="true"></div>
                <Header user comms/>
                <crate::announcements::header::Banner status=comms/>
                <crate::tours::engine::TourHost/>
                <main id="inhalt" class="content practice" tabindex="-1">
                    <crate::training_sessions::page::MovedUpNotice/>
                    <Outlet/>
                </main>
                <Footer/>
            }
            .into_any()
        }
        Some(user) => {
            provide_context(user.clone());
            crate::tours::engine::provide_tours();
            view! {
                <Header user comms/>
                <crate::announcements::header::Banner status=comms/>
                <crate::tours::engine::TourHost/>
                <main id="inhalt" class="content" tabindex="-1">
                    <crate::training_sessions::page::MovedUpNotice/>
                    <Outlet/>
                </main>
                <Footer/>
            }
            .into_any()
        }
        None => view! {
            <main id="inhalt" class="content" tabindex="-1">
                <ErrorNotice error=crate::error::AppError::NotLoggedIn/>
            </main>
        }
        .into_any(),
    };
    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        {frame}
    }
}

/// The signed-in person of the request being rendered; the browser never
/// calls this while hydrating (it reads the server's answer).
fn signed_in() -> Option<SessionUser> {
    #[cfg(feature = "ssr")]
    return crate::auth::current_user();
    #[cfg(not(feature = "ssr"))]
    None
}

#[component]
fn Header(user: SessionUser, comms: crate::announcements::header::StatusResource) -> impl IntoView {
    // The menu button only makes sense once the page is interactive; without
    // JavaScript the navigation simply stays open.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let (menu_open, set_menu_open) = signal(false);
    let practising = user.in_practice();
    let scope = if user.all_municipalities {
        "alle Gemeinden".to_string()
    } else {
        user.municipality.name.clone()
    };
    // Built in parts and erased: the header's full type is deep enough to
    // overflow the compiler's query depth.
    let bar = view! {
            <div class="header-bar">
                <a href="/" class="brand">
                    <span class="brand-mark" aria-hidden="true">"A"</span>
                    <span class="brand-name">"Aktenwerk"</span>
                    <span class="visually-hidden">" – zur Startseite"</span>
                </a>
                {crate::auth::guard::Rule::Clerk.allows(&user)
                    .then(|| view! { <crate::search::header_field::HeaderSearch/> })}
                <p class="municipality" data-tour="gemeinde">
                    <span class="visually-hidden">"Gemeinde: "</span>
                    {user.municipality.name.clone()}
                </p>
                <button
                    type="button"
                    class="menu-toggle button secondary small"
                    hidden=move || !hydrated.get()
                    aria-expanded=move || menu_open.get().to_string()
                    aria-controls="hauptnavigation"
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    "Menü"
                </button>
                <crate::tours::engine::HelpMenu/>
                <div class="user-box" data-tour="benutzer">
                    <p class="user-name">
                        <span class="visually-hidden">"Angemeldet als "</span>
                        {user.display_name.clone()}
                        <span class="user-role">{format!("{} · {scope}", user.role.label())}</span>
                    </p>
                    {(!practising).then(|| view! { <crate::practice::page::EnterPracticeButton/> })}
                    <crate::questions::ask::AskButton/>
                    <a href="/konto/passwort" class="header-link">"Passwort ändern"</a>
                    <form method="post" action="/abmelden" class="logout-form">
                        <button type="submit" class="button secondary small">"Abmelden"</button>
                    </form>
                </div>
            </div>
    }
    .into_any();
    let nav = view! {
            <nav
                id="hauptnavigation"
                aria-label="Hauptnavigation"
                class="main-nav"
                data-tour="hauptnavigation"
                class:collapsed=move || hydrated.get() && !menu_open.get()
            >
                <ul>
                    {super::sections::visible_to(&user)
                        .map(|section| view! { <NavItem section comms/> })
                        .collect_view()}
                </ul>
            </nav>
    }
    .into_any();
    view! {
        <header class="site-header">
            {bar}
            {nav}
        </header>
    }
    .into_any()
}

/// One entry of the main navigation (see [`super::sections`]).
#[component]
fn NavItem(
    section: &'static Section,
    comms: crate::announcements::header::StatusResource,
) -> impl IntoView {
    let link = match section.badge {
        Badge::UnreadNews => {
            view! { <crate::announcements::header::NewsNavLink status=comms/> }.into_any()
        }
        Badge::Questions => {
            view! { <crate::announcements::header::QuestionsNavLink status=comms/> }.into_any()
        }
        Badge::Postkorb => {
            view! { <crate::announcements::header::PostkorbNavLink status=comms/> }.into_any()
        }
        Badge::None => {
            view! { <A href=section.href exact=section.href == "/">{section.label}</A> }.into_any()
        }
    };
    view! { <li data-tour=section.tour>{link}</li> }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Aktenwerk – das gemeinsame Dokumentenmanagement von Michelstadt, Erbach, Oberzent und Brombachtal. "
                "Gefördert im Programm „Starke Heimat Hessen“."
            </p>
            <p>
                <a href="/barrierefreiheit">"Erklärung zur Barrierefreiheit"</a>
            </p>
        </footer>
    }
}
