//! The documents of one Akte or Vorgang, on its page: drop files onto it to
//! file them straight in.

use super::list::{AktePicker, BulkBar, DocumentTable, ListedIn, VorgangMover};
use super::server_fns::{akte_documents, vorgang_documents, BulkDocuments};
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
    pub documents: crate::server_json::Loaded<Result<Vec<DocumentSummary>, AppError>>,
    pub uploaded: RwSignal<u32>,
    pub bulk: ServerAction<BulkDocuments>,
}

impl AkteDocumentsState {
    /// Changes with every upload and bulk action here, for what counts
    /// the Akte's documents elsewhere on the page.
    pub fn changes(&self) -> (u32, usize) {
        (self.uploaded.get(), self.bulk.version().get())
    }

    /// `akte_id` is read reactively (the page's route parameter).
    pub fn new(akte_id: impl Fn() -> Option<i64> + Send + Sync + 'static) -> AkteDocumentsState {
        let uploaded = RwSignal::new(0u32);
        let bulk = ServerAction::<BulkDocuments>::new();
        let clerk = may_handle_documents();
        let documents = crate::server_json::resource(
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
pub fn AkteDocuments(
    akte_id: i64,
    open: bool,
    state: AkteDocumentsState,
    /// The Akte's Vorgänge (the page's own list), to move documents into.
    vorgaenge: crate::server_json::Loaded<Result<crate::vorgaenge::AkteVorgaenge, AppError>>,
) -> impl IntoView {
    let AkteDocumentsState {
        documents,
        uploaded,
        bulk,
    } = state;
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let list = move || {
        Suspend::new(async move {
            // Documents move between the Akte's open Vorgänge; the bar
            // offers that only where the Vorgänge load.
            let open_vorgaenge: Vec<crate::vorgaenge::VorgangRef> = match vorgaenge.await {
                Ok(list) => list
                    .vorgaenge
                    .into_iter()
                    .filter(|v| v.status != crate::vorgaenge::VorgangStatus::Closed)
                    .map(|v| crate::vorgaenge::VorgangRef {
                        id: v.id,
                        zeichen: v.zeichen,
                        title: v.title,
                    })
                    .collect(),
                Err(_) => Vec::new(),
            };
            let mover = (open && !open_vorgaenge.is_empty()).then(|| {
                view! { <VorgangMover akte_id vorgaenge=open_vorgaenge selected action=bulk/> }
                    .into_any()
            });
            place_list(
                documents.await,
                Place {
                    listed_in: ListedIn::Akte,
                    move_summary: "Ausgewählte Dokumente in eine andere Akte umlegen",
                    forbidden: "Die Dokumente einer Akte sehen die Sachbearbeiterinnen und Sachbearbeiter der Gemeinde.",
                },
                selected,
                bulk,
                mover,
            )
        })
    };
    view! {
        <section class="akte-documents" aria-labelledby="akte-docs-heading">
            <h2 id="akte-docs-heading">"Dokumente"</h2>
            {filing_area(
                UploadTarget::Akte(akte_id),
                open,
                "Die Akte ist geschlossen; es kann nichts mehr abgelegt werden.",
                uploaded,
                list,
            )}
        </section>
    }
}

/// What differs between an Akte's and a Vorgang's list of documents.
struct Place {
    listed_in: ListedIn,
    move_summary: &'static str,
    /// Said to those who may not handle documents.
    forbidden: &'static str,
}

/// A place's documents with the bulk bar, the Vorgang mover (if any) and
/// the picker to move them elsewhere.
fn place_list(
    documents: Result<Vec<DocumentSummary>, AppError>,
    place: Place,
    selected: RwSignal<BTreeSet<i64>>,
    bulk: ServerAction<BulkDocuments>,
    mover: Option<AnyView>,
) -> AnyView {
    match documents {
        Ok(documents) => view! {
            <DocumentTable documents selected listed_in=place.listed_in/>
            <BulkBar selected action=bulk/>
            {mover}
            <details class="move-documents">
                <summary>{place.move_summary}</summary>
                <AktePicker selected action=bulk heading="Umlegen in"/>
            </details>
        }
        .into_any(),
        Err(AppError::Forbidden) => view! { <p class="notice">{place.forbidden}</p> }.into_any(),
        Err(error) => view! { <ErrorNotice error/> }.into_any(),
    }
}

/// The list of a place's documents inside its upload area while it takes
/// documents, else under the reason why it takes none; without a list for
/// those who may not handle documents (the list says so itself).
fn filing_area<V: IntoView + 'static>(
    target: UploadTarget,
    open: bool,
    closed_hint: &'static str,
    uploaded: RwSignal<u32>,
    list: impl Fn() -> V + Send + Sync + Clone + 'static,
) -> AnyView {
    if open && may_handle_documents() {
        view! {
            <Uploader target on_uploaded=move |_| uploaded.update(|n| *n += 1)>
                <Transition fallback=|| view! { <p>"Dokumente werden geladen …"</p> }>{list}</Transition>
            </Uploader>
        }
        .into_any()
    } else if !open {
        view! {
            <p class="field-hint">{closed_hint}</p>
            <Transition fallback=|| view! { <p>"Dokumente werden geladen …"</p> }>{list}</Transition>
        }
        .into_any()
    } else {
        view! { <Transition fallback=|| ()>{list}</Transition> }.into_any()
    }
}

/// What the documents of a Vorgang need from its page; created at the top
/// of the page, like [`AkteDocumentsState`].
#[derive(Clone, Copy)]
pub struct VorgangDocumentsState {
    pub documents: crate::server_json::Loaded<Result<Vec<DocumentSummary>, AppError>>,
    pub uploaded: RwSignal<u32>,
    pub bulk: ServerAction<BulkDocuments>,
}

impl VorgangDocumentsState {
    /// `vorgang_id` is read reactively (the page's route parameter).
    pub fn new(
        vorgang_id: impl Fn() -> Option<i64> + Send + Sync + 'static,
    ) -> VorgangDocumentsState {
        let uploaded = RwSignal::new(0u32);
        let bulk = ServerAction::<BulkDocuments>::new();
        let clerk = may_handle_documents();
        let documents = crate::server_json::resource(
            move || (vorgang_id(), uploaded.get(), bulk.version().get()),
            move |(id, ..)| async move {
                match id {
                    Some(_) if !clerk => Err(AppError::Forbidden),
                    Some(id) => vorgang_documents(id).await,
                    None => Err(AppError::NotFound("Der Vorgang".into())),
                }
            },
        );
        VorgangDocumentsState {
            documents,
            uploaded,
            bulk,
        }
    }
}

/// The documents of one Vorgang, on its page: drop files onto it to file
/// them straight in; take documents out into the Akte or move them on.
#[component]
pub fn VorgangDocuments(
    vorgang_id: i64,
    akte_id: i64,
    /// Documents can still be filed in (Vorgang and Akte not zdA).
    open: bool,
    state: VorgangDocumentsState,
) -> impl IntoView {
    let VorgangDocumentsState {
        documents,
        uploaded,
        bulk,
    } = state;
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let list = move || {
        Suspend::new(async move {
            let mover = open.then(|| {
                view! { <VorgangMover akte_id vorgaenge=Vec::new() selected action=bulk/> }
                    .into_any()
            });
            place_list(
                documents.await,
                Place {
                    listed_in: ListedIn::Vorgang,
                    move_summary: "Ausgewählte Dokumente in eine andere Akte oder einen anderen Vorgang umlegen",
                    forbidden: "Die Dokumente eines Vorgangs sehen die Sachbearbeiterinnen und Sachbearbeiter der Gemeinde.",
                },
                selected,
                bulk,
                mover,
            )
        })
    };
    view! {
        <section class="akte-documents" aria-labelledby="vorgang-docs-heading">
            <h2 id="vorgang-docs-heading">"Dokumente"</h2>
            {filing_area(
                UploadTarget::Vorgang(vorgang_id),
                open,
                "Der Vorgang ist zu den Akten verfügt; es kann nichts mehr abgelegt werden.",
                uploaded,
                list,
            )}
        </section>
    }
}
