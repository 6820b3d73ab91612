//! The documents of one Akte, on the Akte's page: drop files onto it to
//! file them straight in.

use super::list::{AktePicker, BulkBar, DocumentTable};
use super::server_fns::{akte_documents, BulkDocuments};
use super::upload::{UploadTarget, Uploader};
use super::DocumentSummary;
use crate::error::AppError;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// What the section needs from its page. The resource must be created at
/// the top of the page, outside its loading boundary, or hydration breaks.
#[derive(Clone, Copy)]
pub struct AkteDocumentsState {
    pub documents: Resource<Result<Vec<DocumentSummary>, AppError>>,
    pub uploaded: RwSignal<u32>,
    pub bulk: ServerAction<BulkDocuments>,
}

impl AkteDocumentsState {
    /// `akte_id` is read reactively (the page's route parameter).
    pub fn new(akte_id: impl Fn() -> Option<i64> + Send + Sync + 'static) -> AkteDocumentsState {
        let uploaded = RwSignal::new(0u32);
        let bulk = ServerAction::<BulkDocuments>::new();
        let clerk = may_handle_documents();
        let documents = Resource::new(
            move || (akte_id(), uploaded.get(), bulk.version().get()),
            move |(id, ..)| async move {
                match id {
                    // Answered here as akte_documents would, without asking.
                    Some(_) if !clerk => Err(AppError::Forbidden),
                    Some(id) => akte_documents(id).await,
                    None => Err(AppError::NotFound("Die Akte".into())),
                }
            },
        );
        AkteDocumentsState {
            documents,
            uploaded,
            bulk,
        }
    }
}

/// What akte_documents and the upload require.
fn may_handle_documents() -> bool {
    crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::Clerk.allows(&user))
}

#[component]
pub fn AkteDocuments(akte_id: i64, open: bool, state: AkteDocumentsState) -> impl IntoView {
    let AkteDocumentsState {
        documents,
        uploaded,
        bulk,
    } = state;
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let list = move || {
        Suspend::new(async move {
            match documents.await {
                Ok(documents) => view! {
                    <DocumentTable documents selected show_akte=false/>
                    <BulkBar selected action=bulk/>
                    <details class="move-documents">
                        <summary>"Ausgewählte Dokumente in eine andere Akte umlegen"</summary>
                        <AktePicker selected action=bulk heading="Umlegen in"/>
                    </details>
                }
                .into_any(),
                Err(AppError::Forbidden) => view! {
                    <p class="notice">"Die Dokumente einer Akte sehen die Sachbearbeiterinnen und Sachbearbeiter der Gemeinde."</p>
                }
                .into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            }
        })
    };
    view! {
        <section class="akte-documents" aria-labelledby="akte-docs-heading">
            <h2 id="akte-docs-heading">"Dokumente"</h2>
            {if open && may_handle_documents() {
                view! {
                    <Uploader target=UploadTarget::Akte(akte_id) on_uploaded=move |_| uploaded.update(|n| *n += 1)>
                        <Transition fallback=|| view! { <p>"Dokumente werden geladen …"</p> }>{list}</Transition>
                    </Uploader>
                }
                .into_any()
            } else if !open {
                view! {
                    <p class="field-hint">"Die Akte ist geschlossen; es kann nichts mehr abgelegt werden."</p>
                    <Transition fallback=|| view! { <p>"Dokumente werden geladen …"</p> }>{list}</Transition>
                }
                .into_any()
            } else {
                view! { <Transition fallback=|| ()>{list}</Transition> }.into_any()
            }}
        </section>
    }
}
