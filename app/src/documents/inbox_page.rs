//! `/posteingang`: incoming post. Drop files anywhere on the page, check
//! them, and file them into Akten by drag-and-drop or with the picker.

use super::list::{AktePicker, BulkBar, DocumentTable};
use super::server_fns::{load_inbox, BulkDocuments};
use super::upload::{UploadTarget, Uploader};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn PosteingangPage() -> impl IntoView {
    // Those the inbox's server functions refuse get the notice, and
    // neither an upload zone nor requests.
    if !crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::Clerk.allows(&user))
    {
        return view! {
            <PageHeading title="Posteingang"/>
            <crate::ui::Refused/>
        }
        .into_any();
    }
    let uploaded = RwSignal::new(0u32);
    let bulk = ServerAction::<BulkDocuments>::new();
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let documents = crate::server_json::resource(
        move || (uploaded.get(), bulk.version().get()),
        |_| load_inbox(),
    );
    // What was filed or trashed leaves the list, and the selection with it.
    Effect::new(move |_| {
        if let Some(Ok(_)) = bulk.value().get() {
            selected.set(BTreeSet::new());
        }
    });
    view! {
        <PageHeading title="Posteingang"/>
        <crate::guides::link::GuideLink screen="posteingang"/>
        <p class="lead">
            "Alles, was neu hereinkommt, landet zuerst hier. Prüfen Sie Titel und Dokumentart und legen Sie die Dokumente in die passende Akte."
        </p>
        <Uploader target=UploadTarget::Inbox on_uploaded=move |_| uploaded.update(|n| *n += 1)>
            <div class="inbox-layout">
                <section class="inbox-documents" aria-labelledby="inbox-heading" data-tour="posteingang-liste">
                    <h2 id="inbox-heading">"Noch nicht abgelegt"</h2>
                    <Transition fallback=|| view! { <p>"Dokumente werden geladen …"</p> }>
                        {move || Suspend::new(async move {
                            match documents.await {
                                Ok(documents) => view! { <DocumentTable documents selected/> }.into_any(),
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            }
                        })}
                    </Transition>
                    <BulkBar selected action=bulk/>
                </section>
                <aside class="inbox-side" data-tour="akte-ablegen">
                    <AktePicker selected action=bulk/>
                </aside>
            </div>
        </Uploader>
    }
    .into_any()
}
