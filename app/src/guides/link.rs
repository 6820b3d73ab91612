//! The „?“ beside a feature: opens the newest Dienstanweisung or Leitfaden
//! linked to that screen (or says that none exists yet).

use leptos::prelude::*;

/// `screen` is a key from [`super::SCREENS`].
#[component]
pub fn GuideLink(screen: &'static str) -> impl IntoView {
    let label = super::screen_label(screen).unwrap_or("diesen Bereich");
    view! {
        <a class="guide-link" href=format!("/dienstanweisungen/bereich/{screen}")
            title=format!("Leitfaden zu {label}")>
            <span aria-hidden="true">"?"</span>
            <span class="visually-hidden">{format!("Leitfaden zu {label}")}</span>
        </a>
    }
}
