//! The upload area: drop files or whole folders anywhere on it, or pick
//! them with the keyboard; each file gets its own progress bar, can be
//! cancelled, and fails on its own with a German message while the others
//! go on.
//!
//! Files go one request each (`POST /dokumente/hochladen`) through
//! `XMLHttpRequest`, because fetch reports no upload progress.

use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;

/// Where dropped files go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadTarget {
    Inbox,
    Akte(i64),
    Vorgang(i64),
    /// A new version of this document (one file at a time).
    Version(i64),
}

impl UploadTarget {
    pub fn query(self) -> String {
        match self {
            UploadTarget::Inbox => String::new(),
            UploadTarget::Akte(id) => format!("&akte={id}"),
            UploadTarget::Vorgang(id) => format!("&vorgang={id}"),
            UploadTarget::Version(id) => format!("&dokument={id}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum UploadStatus {
    Waiting,
    Running,
    Done { id: i64, version: i64 },
    Duplicate { id: i64, message: String },
    Failed(String),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UploadItem {
    pub key: u32,
    pub name: String,
    pub size: f64,
    pub loaded: f64,
    pub status: UploadStatus,
}

/// Files uploaded at the same time; more would only share the same line.
#[cfg(feature = "hydrate")]
const PARALLEL: usize = 2;

/// The German text for an answer without a readable message.
pub fn status_message(status: u16) -> String {
    match status {
        0 => "Der Server ist nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung.".into(),
        401 => "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.".into(),
        403 => "Dafür fehlt Ihnen die Berechtigung.".into(),
        413 => "Die Datei ist zu groß.".into(),
        _ => format!(
            "Das Hochladen ist fehlgeschlagen (Fehler {status}). Bitte versuchen Sie es erneut."
        ),
    }
}

/// Reads the server's JSON answer into a status.
pub fn answer_status(status: u16, body: &str) -> UploadStatus {
    if status == 201 {
        return match serde_json::from_str::<super::UploadAnswer>(body) {
            Ok(answer) => UploadStatus::Done {
                id: answer.id,
                version: answer.version,
            },
            Err(_) => UploadStatus::Failed(status_message(status)),
        };
    }
    match serde_json::from_str::<super::UploadRefusal>(body) {
        Ok(refusal) => match (refusal.code.as_str(), refusal.existing_id) {
            ("duplicate", Some(id)) => UploadStatus::Duplicate {
                id,
                message: refusal.message,
            },
            _ => UploadStatus::Failed(refusal.message),
        },
        Err(_) => UploadStatus::Failed(status_message(status)),
    }
}

fn format_size(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} KB", (bytes / 1024.0).ceil())
    }
}

#[component]
pub fn Uploader(
    target: UploadTarget,
    /// Called with the stored version's number after each successful
    /// upload (to reload lists).
    #[prop(into)]
    on_uploaded: Callback<i64>,
    children: Children,
) -> impl IntoView {
    // Asked for in the browser only, so the server's first render and the
    // hydrated one agree (the hint gains its number a moment later).
    let limit = RwSignal::new(None::<u64>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(mb) = super::server_fns::upload_limit_mb().await {
                limit.set(Some(mb));
            }
        });
    });
    let items = RwSignal::new(Vec::<UploadItem>::new());
    let dragging = RwSignal::new(false);
    // Effects run only in the browser: marks the zone as ready for drops
    // (browser tests wait for it).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let queue = Queue::new(target, items, on_uploaded);
    let single = matches!(target, UploadTarget::Version(_));

    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        queue.dropped(&ev);
    };
    let on_pick = move |ev: leptos::ev::Event| queue.picked(&ev);
    // The same list the content check refuses with.
    let hint = move |mb: Option<u64>| {
        format!(
            "Erlaubt sind: {}{}.",
            super::kinds::allowed_list(),
            mb.map(|mb| format!(", bis {mb} MB je Datei"))
                .unwrap_or_default()
        )
    };

    let total = move || {
        items.with(|items| {
            let live: Vec<&UploadItem> = items
                .iter()
                .filter(|i| !matches!(i.status, UploadStatus::Cancelled))
                .collect();
            let size: f64 = live.iter().map(|i| i.size).sum();
            let loaded: f64 = live.iter().map(|i| i.loaded.min(i.size)).sum();
            let finished = live
                .iter()
                .filter(|i| !matches!(i.status, UploadStatus::Waiting | UploadStatus::Running))
                .count();
            let failed = live
                .iter()
                .filter(|i| {
                    matches!(
                        i.status,
                        UploadStatus::Failed(_) | UploadStatus::Duplicate { .. }
                    )
                })
                .count();
            (
                live.len(),
                finished,
                failed,
                if size > 0.0 { loaded / size } else { 1.0 },
            )
        })
    };

    view! {
        <div
            class="upload-zone"
            class:dragging=move || dragging.get()
            data-ready=move || ready.get().then_some("true")
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if carries_files(&ev) { ev.prevent_default(); dragging.set(true); }
            }
            on:dragleave=move |ev: leptos::ev::DragEvent| {
                // Only leaving the zone itself counts, not moving between its children.
                if ev.related_target().is_none() { dragging.set(false); }
            }
            on:drop=on_drop
        >
            <section class="upload-panel" aria-labelledby="upload-heading"
                data-tour=(target == UploadTarget::Inbox).then_some("upload-bereich")>
                <h2 id="upload-heading">{if single { "Neue Version hochladen" } else { "Dokumente hochladen" }}</h2>
                <p>
                    {if single {
                        "Ziehen Sie die neue Fassung hierher oder wählen Sie sie aus."
                    } else {
                        "Ziehen Sie Dateien oder ganze Ordner auf diese Seite oder wählen Sie sie aus."
                    }}
                    " "
                    <span class="field-hint">{move || hint(limit.get())}</span>
                </p>
                <div class="button-row">
                    <label class="button primary file-button">
                        {if single { "Datei auswählen" } else { "Dateien auswählen" }}
                        <input type="file" class="visually-hidden" multiple=!single on:change=on_pick/>
                    </label>
                    {(!single).then(|| view! {
                        <label class="button file-button">
                            "Ordner auswählen"
                            <input {..custom_attribute("webkitdirectory", "")} type="file" class="visually-hidden" on:change=on_pick/>
                        </label>
                    })}
                </div>
                <div aria-live="polite" role="status" class="upload-summary">
                    {move || {
                        let (count, finished, failed, share) = total();
                        (count > 0).then(|| {
                            let percent = (share * 100.0).round();
                            let text = if finished == count {
                                if failed == 0 {
                                    format!("Fertig: {count} von {count} Dateien hochgeladen.")
                                } else {
                                    format!("Fertig: {} von {count} Dateien hochgeladen, {failed} nicht.", count - failed)
                                }
                            } else {
                                format!("{finished} von {count} Dateien fertig, insgesamt {percent} %.")
                            };
                            view! {
                                <p>{text}</p>
                                <progress class="batch-progress" max="100" value=percent aria-label="Gesamtfortschritt"></progress>
                            }
                        })
                    }}
                </div>
                <ul class="upload-list">
                    <For each=move || items.get() key=|item| (item.key, format!("{:?}", item.status), item.loaded as u64) let:item>
                        <UploadRow item queue/>
                    </For>
                </ul>
            </section>
            {children()}
            <div class="drop-overlay" aria-hidden="true">"Loslassen zum Hochladen"</div>
        </div>
    }
}

#[component]
fn UploadRow(item: UploadItem, queue: Queue) -> impl IntoView {
    let percent = if item.size > 0.0 {
        (item.loaded.min(item.size) / item.size * 100.0).round()
    } else {
        100.0
    };
    let key = item.key;
    let name = item.name.clone();
    let (text, class) = match &item.status {
        UploadStatus::Waiting => ("wartet".to_string(), "waiting"),
        UploadStatus::Running => (format!("{percent} %"), "running"),
        UploadStatus::Done { version, .. } if *version > 1 => {
            (format!("hochgeladen als Version {version}"), "done")
        }
        UploadStatus::Done { .. } => ("hochgeladen".to_string(), "done"),
        UploadStatus::Duplicate { message, .. } => (message.clone(), "failed"),
        UploadStatus::Failed(message) => (message.clone(), "failed"),
        UploadStatus::Cancelled => ("abgebrochen".to_string(), "cancelled"),
    };
    let link = match &item.status {
        UploadStatus::Done { id, .. } => Some((format!("/dokumente/{id}"), "Öffnen")),
        UploadStatus::Duplicate { id, .. } => {
            Some((format!("/dokumente/{id}"), "Vorhandenes Dokument öffnen"))
        }
        _ => None,
    };
    let cancellable = matches!(item.status, UploadStatus::Waiting | UploadStatus::Running);
    view! {
        <li class=format!("upload-item {class}")>
            <span class="upload-name">{item.name.clone()}" "<span class="field-hint">{format_size(item.size)}</span></span>
            <progress max="100" value=percent aria-label=format!("Fortschritt {}", item.name)></progress>
            <span class="upload-status">{text}</span>
            {link.map(|(href, label)| view! { <a href=href>{label}<span class="visually-hidden">{format!(": {name}")}</span></a> })}
            {cancellable.then(|| view! {
                <button type="button" class="button small" on:click=move |_| queue.cancel(key)>
                    "Abbrechen"<span class="visually-hidden">{format!(": {}", item.name)}</span>
                </button>
            })}
        </li>
    }
}

/// Files from the desktop, as opposed to a document row being moved.
fn carries_files(ev: &leptos::ev::DragEvent) -> bool {
    #[cfg(feature = "hydrate")]
    return ev.data_transfer().is_some_and(|t| {
        t.types()
            .iter()
            .any(|kind| kind.as_string().as_deref() == Some("Files"))
    });
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// The browser side of the queue; on the server it renders nothing and
/// does nothing.
#[derive(Clone, Copy)]
struct Queue {
    target: UploadTarget,
    items: RwSignal<Vec<UploadItem>>,
    on_uploaded: Callback<i64>,
    #[cfg(feature = "hydrate")]
    files: StoredValue<std::collections::HashMap<u32, web_sys::File>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    requests: StoredValue<std::collections::HashMap<u32, web_sys::XmlHttpRequest>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    next_key: StoredValue<u32>,
}

#[cfg(not(feature = "hydrate"))]
impl Queue {
    fn new(
        target: UploadTarget,
        items: RwSignal<Vec<UploadItem>>,
        on_uploaded: Callback<i64>,
    ) -> Queue {
        Queue {
            target,
            items,
            on_uploaded,
        }
    }
    fn dropped(&self, _ev: &leptos::ev::DragEvent) {
        let _ = (self.target, self.items, self.on_uploaded);
    }
    fn picked(&self, _ev: &leptos::ev::Event) {}
    fn cancel(&self, _key: u32) {}
}

#[cfg(feature = "hydrate")]
impl Queue {
    fn new(
        target: UploadTarget,
        items: RwSignal<Vec<UploadItem>>,
        on_uploaded: Callback<i64>,
    ) -> Queue {
        Queue {
            target,
            items,
            on_uploaded,
            files: StoredValue::new_local(Default::default()),
            requests: StoredValue::new_local(Default::default()),
            next_key: StoredValue::new(1),
        }
    }

    fn add(&self, files: Vec<web_sys::File>) {
        if files.is_empty() {
            return;
        }
        let single = matches!(self.target, UploadTarget::Version(_));
        let files: Vec<web_sys::File> = if single {
            files.into_iter().take(1).collect()
        } else {
            files
        };
        for file in files {
            let key = self.next_key.get_value();
            self.next_key.set_value(key + 1);
            self.items.update(|items| {
                items.push(UploadItem {
                    key,
                    name: file.name(),
                    size: file.size(),
                    loaded: 0.0,
                    status: UploadStatus::Waiting,
                })
            });
            self.files.update_value(|files| {
                files.insert(key, file);
            });
        }
        self.pump();
    }

    fn set_status(&self, key: u32, status: UploadStatus) {
        self.items.update(|items| {
            if let Some(item) = items.iter_mut().find(|i| i.key == key) {
                if matches!(status, UploadStatus::Done { .. }) {
                    item.loaded = item.size;
                }
                item.status = status;
            }
        });
    }

    /// Starts waiting uploads while fewer than [`PARALLEL`] run.
    fn pump(&self) {
        loop {
            let (running, next) = self.items.with_untracked(|items| {
                (
                    items
                        .iter()
                        .filter(|i| i.status == UploadStatus::Running)
                        .count(),
                    items
                        .iter()
                        .find(|i| i.status == UploadStatus::Waiting)
                        .map(|i| i.key),
                )
            });
            let Some(key) = next else { return };
            if running >= PARALLEL {
                return;
            }
            self.start(key);
        }
    }

    fn start(&self, key: u32) {
        use wasm_bindgen::prelude::*;
        use wasm_bindgen::JsCast;
        let Some(file) = self.files.with_value(|files| files.get(&key).cloned()) else {
            return;
        };
        self.set_status(key, UploadStatus::Running);
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
            self.set_status(key, UploadStatus::Failed(status_message(0)));
            return;
        };
        let url = format!(
            "/dokumente/hochladen?name={}{}",
            String::from(js_sys::encode_uri_component(&file.name())),
            self.target.query()
        );
        let queue = *self;
        // The closures live as long as the request; they are few and small,
        // so they are leaked rather than tracked.
        let progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
                let loaded = ev.loaded();
                queue.items.update(|items| {
                    if let Some(item) = items.iter_mut().find(|i| i.key == key) {
                        item.loaded = loaded;
                    }
                });
            });
        let finished = {
            let xhr = xhr.clone();
            Closure::<dyn FnMut()>::new(move || {
                let status = xhr.status().unwrap_or(0);
                let body = xhr.response_text().ok().flatten().unwrap_or_default();
                let result = answer_status(status, &body);
                let done = match result {
                    UploadStatus::Done { version, .. } => Some(version),
                    _ => None,
                };
                queue.set_status(key, result);
                queue.forget(key);
                if let Some(version) = done {
                    queue.on_uploaded.run(version);
                    crate::tours::emit(crate::tours::WaitFor::Upload);
                }
                queue.pump();
            })
        };
        let failed = Closure::<dyn FnMut()>::new(move || {
            queue.set_status(key, UploadStatus::Failed(status_message(0)));
            queue.forget(key);
            queue.pump();
        });
        let aborted = Closure::<dyn FnMut()>::new(move || {
            queue.set_status(key, UploadStatus::Cancelled);
            queue.forget(key);
            queue.pump();
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        xhr.set_onload(Some(finished.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(aborted.as_ref().unchecked_ref()));
        progress.forget();
        finished.forget();
        failed.forget();
        aborted.forget();
        let sent = xhr
            .open_with_async("POST", &url, true)
            .and_then(|()| xhr.set_request_header("Accept", "application/json"))
            .and_then(|()| xhr.send_with_opt_blob(Some(&file)));
        if sent.is_err() {
            self.set_status(key, UploadStatus::Failed(status_message(0)));
            return;
        }
        self.requests.update_value(|requests| {
            requests.insert(key, xhr);
        });
    }

    fn forget(&self, key: u32) {
        self.requests.update_value(|requests| {
            requests.remove(&key);
        });
        self.files.update_value(|files| {
            files.remove(&key);
        });
    }

    fn cancel(&self, key: u32) {
        let request = self
            .requests
            .with_value(|requests| requests.get(&key).cloned());
        match request {
            Some(xhr) => {
                let _ = xhr.abort();
            }
            None => {
                self.set_status(key, UploadStatus::Cancelled);
                self.forget(key);
            }
        }
    }

    fn picked(&self, ev: &leptos::ev::Event) {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let mut files = Vec::new();
        if let Some(list) = input.files() {
            for i in 0..list.length() {
                if let Some(file) = list.get(i) {
                    files.push(file);
                }
            }
        }
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        self.add(files);
    }

    fn dropped(&self, ev: &leptos::ev::DragEvent) {
        use wasm_bindgen::JsCast;
        let Some(transfer) = ev.data_transfer() else {
            return;
        };
        let items = transfer.items();
        let mut files = Vec::new();
        // Entries must be taken during the event; the transfer is empty
        // afterwards. Folders are then read asynchronously.
        for i in 0..items.length() {
            let Some(item) = items.get(i) else { continue };
            if item.kind() != "file" {
                continue;
            }
            match item.webkit_get_as_entry() {
                Ok(Some(entry)) if entry.is_directory() => {
                    self.read_directory(entry.unchecked_into());
                }
                _ => {
                    if let Ok(Some(file)) = item.get_as_file() {
                        files.push(file);
                    }
                }
            }
        }
        self.add(files);
    }

    fn read_directory(&self, directory: web_sys::FileSystemDirectoryEntry) {
        read_batch(*self, directory.create_reader());
    }
}

/// `readEntries` hands out a folder in batches until it returns none.
#[cfg(feature = "hydrate")]
fn read_batch(queue: Queue, reader: web_sys::FileSystemDirectoryReader) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let next_reader = reader.clone();
    let on_entries = Closure::once_into_js(move |entries: js_sys::Array| {
        if entries.length() == 0 {
            return;
        }
        for entry in entries.iter() {
            let entry: web_sys::FileSystemEntry = entry.unchecked_into();
            if entry.is_directory() {
                queue.read_directory(entry.unchecked_into());
            } else if entry.is_file() {
                let file_entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
                let on_file = Closure::once_into_js(move |file: web_sys::File| {
                    queue.add(vec![file]);
                });
                file_entry.file_with_callback(on_file.unchecked_ref());
            }
        }
        read_batch(queue, next_reader);
    });
    let _ = reader.read_entries_with_callback(on_entries.unchecked_ref());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_statuses() {
        assert_eq!(
            answer_status(201, r#"{"id":7,"title":"Bauantrag","version":1}"#),
            UploadStatus::Done { id: 7, version: 1 }
        );
        assert_eq!(
            answer_status(
                409,
                r#"{"code":"duplicate","message":"schon da","existing_id":3}"#
            ),
            UploadStatus::Duplicate {
                id: 3,
                message: "schon da".into()
            }
        );
        assert_eq!(
            answer_status(415, r#"{"code":"type_refused","message":"Kein PDF."}"#),
            UploadStatus::Failed("Kein PDF.".into())
        );
        assert!(matches!(
            answer_status(502, "<html>Bad Gateway</html>"),
            UploadStatus::Failed(text) if text.contains("502")
        ));
    }

    #[test]
    fn sizes_read_like_german_numbers() {
        assert_eq!(format_size(1536.0), "2 KB");
        assert_eq!(format_size(3.5 * 1024.0 * 1024.0), "3,5 MB");
    }
}
