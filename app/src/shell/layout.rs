//! Header, navigation and footer around every signed-in page.

use super::sections::{Badge, Section};
use crate::auth::{server_fns::current_user, SessionUser};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn Layout() -> impl IntoView {
    let user = crate::server_json::resource(|| (), |_| current_user());
    // Unread announcements, answers and the banner (announcements/header.rs).
    let comms = crate::announcements::header::status_resource();
    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <Suspense fallback=|| view! { <p class="loading">"Aktenwerk wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    // Until the one-time password is replaced, only the
                    // password page is reachable: no navigation, search,
                    // tours or notices, whose server calls would be refused.
                    Ok(Some(user)) if user.must_change_password => {
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
                    Ok(Some(user)) if user.in_practice() => {
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
                    Ok(Some(user)) => {
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
                    Ok(None) => {
                        view! {
                            <main id="inhalt" class="content" tabindex="-1">
                                <ErrorNotice error=crate::error::AppError::NotLoggedIn/>
                            </main>
                        }
                            .into_any()
                    }
                    Err(error) => {
                        view! {
                            <main id="inhalt" class="content" tabindex="-1">
                                <ErrorNotice error/>
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
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
