//! Header, navigation and footer around every signed-in page.

use crate::auth::{permissions, server_fns::current_user, SessionUser};
use crate::shell::components::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// The signed-in user, inside the [`Layout`].
pub fn use_current_user() -> Option<SessionUser> {
    use_context::<SessionUser>()
}

#[component]
pub fn Layout() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <Suspense fallback=|| view! { <p class="loading">"Aktenwerk wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        provide_context(user.clone());
                        view! {
                            <Header user/>
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
fn Header(user: SessionUser) -> impl IntoView {
    // The menu button only makes sense once the page is interactive; without
    // JavaScript the navigation simply stays open.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| {
        set_hydrated.set(true);
        // A marker for browser tests (and scripts): the page now reacts.
        #[cfg(feature = "hydrate")]
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    let (menu_open, set_menu_open) = signal(false);
    let show_admin = permissions::may_see_administration(&user);
    let scope = if user.all_municipalities {
        "alle Gemeinden".to_string()
    } else {
        user.municipality.name.clone()
    };
    view! {
        <header class="site-header">
            <div class="header-bar">
                <a href="/" class="brand">
                    <span class="brand-mark" aria-hidden="true">"A"</span>
                    <span class="brand-name">"Aktenwerk"</span>
                    <span class="visually-hidden">" – zur Startseite"</span>
                </a>
                {crate::documents::may_handle_documents(&user)
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
                <div class="user-box">
                    <p class="user-name">
                        <span class="visually-hidden">"Angemeldet als "</span>
                        {user.display_name.clone()}
                        <span class="user-role">{format!("{} · {scope}", user.role.label())}</span>
                    </p>
                    <a href="/konto/passwort" class="header-link">"Passwort ändern"</a>
                    <form method="post" action="/abmelden" class="logout-form">
                        <button type="submit" class="button secondary small">"Abmelden"</button>
                    </form>
                </div>
            </div>
            <nav
                id="hauptnavigation"
                aria-label="Hauptnavigation"
                class="main-nav"
                class:collapsed=move || hydrated.get() && !menu_open.get()
            >
                <ul>
                    <li><A href="/" exact=true>"Start"</A></li>
                    <li><A href="/posteingang">"Posteingang"</A></li>
                    <li><A href="/aktenplan">"Aktenplan"</A></li>
                    <li><A href="/suche">"Suche"</A></li>
                    <li><A href="/neuigkeiten">"Neuigkeiten"</A></li>
                    <li><A href="/schulung">"Schulung"</A></li>
                    <li><A href="/schulungstermine">"Schulungstermine"</A></li>
                    <li><A href="/papierkorb">"Papierkorb"</A></li>
                    {show_admin.then(|| view! { <li><A href="/verwaltung">"Verwaltung"</A></li> })}
                </ul>
            </nav>
        </header>
    }
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
