//! `/aktenplan/<code>?suche=…`: the Aktenplan explorer. A tree (ARIA tree
//! pattern with links as tree items, so it also works without JavaScript),
//! search-as-you-type with highlighted hits, and a detail panel with the
//! position's rules and the Akten under it. Everything that matters is in
//! the URL, so every view can be linked and reloaded.

pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;

use super::{Crumb, SearchHit, Segment};
use crate::akten::server_fns::CreateAkte;
use crate::form_post::{FormAction, PostForm};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use serde::{Deserialize, Serialize};
use server_fns::{load_explorer, plan_children, search_plan};
use std::collections::{HashMap, HashSet};

/// A node of the explorer tree. `children` is filled for nodes on the path
/// to the selected position (rendered open on the server) and loaded on
/// demand for the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeNode {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub active: bool,
    pub has_children: bool,
    /// Akten of the user's municipality directly under this position.
    pub akten_count: i64,
    pub children: Option<Vec<TreeNode>>,
}

/// Everything the detail panel shows about one position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionDetail {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub retention: String,
    pub retention_trigger: String,
    pub appraisal: String,
    pub appraisal_label: String,
    pub active: bool,
    pub path: Vec<Crumb>,
    pub akten: Vec<crate::akten::AkteListed>,
    pub may_open_akte: bool,
    /// Today in Germany (YYYY-MM-DD), the default opening date of a new
    /// Akte; computed on the server because the browser's clock may be off.
    pub today: String,
}

/// The explorer's first render: the main groups, opened down to the
/// selected position, and that position's details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplorerData {
    pub roots: Vec<TreeNode>,
    pub selected: Option<PositionDetail>,
    /// The requested code when it no longer exists as such: with a
    /// selection, the position now carries another code; without, the code
    /// is unknown.
    pub moved_from: Option<String>,
}

/// Shared state of one tree.
#[derive(Clone, Copy)]
struct TreeState {
    expanded: RwSignal<HashSet<i64>>,
    children: RwSignal<HashMap<i64, Vec<TreeNode>>>,
    focused: RwSignal<Option<i64>>,
    selected: Signal<Option<i64>>,
    query: Signal<String>,
}

fn position_url(code: &str, query: &str) -> String {
    if query.is_empty() {
        format!("/aktenplan/{code}")
    } else {
        format!("/aktenplan/{code}?suche={}", encode(query))
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[component]
pub fn ExplorerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.read().get("code");
    let search_text = Signal::derive(move || query.read().get("suche").unwrap_or_default());
    let create = FormAction::<crate::akten::AkteSummary>::of::<CreateAkte>();
    let data = crate::server_json::resource(
        move || (code(), create.version().get()),
        |(code, _)| load_explorer(code),
    );
    let hits = crate::server_json::resource(
        move || search_text.get(),
        |text| async move {
            if text.trim().is_empty() {
                Ok(Vec::new())
            } else {
                search_plan(text).await
            }
        },
    );
    // Only the project team imports a whole plan (import_plan_csv).
    let may_import = crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::ProjectTeam.allows(&user));

    view! {
        <Title text="Aktenplan"/>
        <h1>"Aktenplan"</h1>
        <crate::guides::link::GuideLink screen="aktenplan"/>
        <p class="lead">
            "Der gemeinsame Aktenplan von Michelstadt, Erbach, Oberzent und Brombachtal. "
            "Wählen Sie eine Position, um zu sehen, was dorthin gehört und welche Akten Ihre Gemeinde dort führt."
        </p>
        <p class="page-links">
            <a href="/aktenplan/abstimmung" data-tour="abstimmung-link">"Änderungen vorschlagen und abstimmen"</a>
            " · "
            <a href="/aktenplan/versionen">"Versionen und Änderungsprotokoll"</a>
            " · "
            <a href="/export/aktenplan.csv" download="aktenplan.csv" rel="external">"Als CSV herunterladen"</a>
            {may_import.then(|| view! { " · " <a href="/aktenplan/import">"CSV übernehmen"</a> })}
        </p>
        <div class="explorer">
            <div class="explorer-nav">
                <PlanSearch code=Signal::derive(move || code().unwrap_or_default()) text=search_text hits/>
                <Transition fallback=|| view! { <p>"Aktenplan wird geladen …"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => {
                                let selected = data.selected.as_ref().map(|d| d.id);
                                view! { <PlanTree roots=data.roots selected query=search_text/> }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <div class="explorer-detail" aria-live="polite">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => match (data.selected, data.moved_from) {
                                (Some(detail), Some(old)) => view! {
                                    <p class="notice info" role="status">
                                        {format!("Die Position {old} hat inzwischen das Kennzeichen {}.", detail.code)}
                                    </p>
                                    <Detail detail create/>
                                }.into_any(),
                                (Some(detail), None) => view! { <Detail detail create/> }.into_any(),
                                (None, Some(code)) => view! {
                                    <div class="notice error" role="alert">
                                        <p>{format!("Die Position „{code}“ gibt es im aktuellen Aktenplan nicht.")}</p>
                                        <p>"Suchen Sie nach dem Titel oder wählen Sie eine Position im Baum."</p>
                                    </div>
                                }.into_any(),
                                (None, None) => view! {
                                    <div class="panel">
                                        <h2>"So finden Sie das Richtige"</h2>
                                        <ul>
                                            <li>"Tippen Sie ins Suchfeld, was Sie ablegen möchten, zum Beispiel „Bauantrag“ oder „Hundesteuer“."</li>
                                            <li>"Oder öffnen Sie im Baum eine Hauptgruppe. Mit den Pfeiltasten bewegen Sie sich, mit Enter wählen Sie."</li>
                                        </ul>
                                    </div>
                                }.into_any(),
                            },
                            Err(_) => ().into_any(),
                        }
                    })}
                </Transition>
            </div>
        </div>
    }
}

#[component]
fn PlanSearch(
    code: Signal<String>,
    text: Signal<String>,
    hits: crate::server_json::Loaded<Result<Vec<SearchHit>, crate::error::AppError>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if !value.trim().is_empty() {
            crate::tours::emit(crate::tours::WaitFor::PlanSearch);
        }
        let base = if code.get_untracked().is_empty() {
            "/aktenplan".to_string()
        } else {
            format!("/aktenplan/{}", code.get_untracked())
        };
        let url = if value.is_empty() {
            base
        } else {
            format!("{base}?suche={}", encode(&value))
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let action = move || {
        if code.get().is_empty() {
            "/aktenplan".to_string()
        } else {
            format!("/aktenplan/{}", code.get())
        }
    };
    view! {
        <form method="get" action=action role="search" class="plan-search" data-tour="aktenplan-suche">
            <label for="plan-search">"Im Aktenplan suchen"</label>
            <div class="search-row">
                <input
                    id="plan-search"
                    name="suche"
                    type="search"
                    autocomplete="off"
                    placeholder="z. B. Bauantrag, 621, Hundesteuer"
                    aria-describedby="plan-search-count"
                    // The attribute for the server's HTML (readable before
                    // and without hydration), the property for live typing.
                    value=text.get_untracked()
                    prop:value=move || text.get()
                    on:input=on_input
                />
                <button type="submit" class="button secondary small">"Suchen"</button>
            </div>
        </form>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let query = text.get_untracked();
                match hits.await {
                    Ok(hits) if query.trim().is_empty() => {
                        let _ = hits;
                        view! { <p id="plan-search-count" class="visually-hidden" role="status"></p> }.into_any()
                    }
                    Ok(hits) => view! { <SearchResults hits query/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SearchResults(hits: Vec<SearchHit>, query: String) -> impl IntoView {
    let count = match hits.len() {
        0 => format!("Keine Treffer für „{query}“."),
        1 => "1 Treffer".to_string(),
        n if n >= 30 => "30 oder mehr Treffer – genauer suchen?".to_string(),
        n => format!("{n} Treffer"),
    };
    view! {
        <p id="plan-search-count" class="search-count" role="status">{count}</p>
        <ol class="search-hits" aria-label="Treffer im Aktenplan" data-tour="aktenplan-treffer">
            {hits
                .into_iter()
                .map(|hit| {
                    let href = position_url(&hit.code, &query);
                    view! {
                        <li>
                            <a href=href class="hit-link">
                                <span class="code">{hit.code.clone()}</span>
                                " "
                                <Highlighted segments=hit.title/>
                            </a>
                            <span class="hit-path">
                                {hit.path.iter().map(|c| format!("{} {}", c.code, c.title)).collect::<Vec<_>>().join(" › ")}
                            </span>
                            {hit.matched.map(|m| view! { <span class="hit-matched">{m}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn Highlighted(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.highlight {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn PlanTree(roots: Vec<TreeNode>, selected: Option<i64>, query: Signal<String>) -> impl IntoView {
    // Nodes delivered with children are open; remember them as loaded.
    let mut expanded = HashSet::new();
    let mut children = HashMap::new();
    fn collect(
        nodes: &[TreeNode],
        expanded: &mut HashSet<i64>,
        children: &mut HashMap<i64, Vec<TreeNode>>,
    ) {
        for node in nodes {
            if let Some(kids) = &node.children {
                expanded.insert(node.id);
                children.insert(node.id, kids.clone());
                collect(kids, expanded, children);
            }
        }
    }
    collect(&roots, &mut expanded, &mut children);
    let state = TreeState {
        expanded: RwSignal::new(expanded),
        children: RwSignal::new(children),
        focused: RwSignal::new(selected.or_else(|| roots.first().map(|r| r.id))),
        selected: Signal::derive(move || selected),
        query,
    };
    let tree_ref = NodeRef::<leptos::html::Ul>::new();
    let setsize = roots.len();
    view! {
        <ul
            role="tree"
            aria-label="Aktenplan"
            class="plan-tree"
            node_ref=tree_ref
            data-tour="aktenplan-baum"
            on:keydown=move |ev| keyboard::on_keydown(ev, tree_ref, state)
        >
            {roots
                .into_iter()
                .enumerate()
                .map(|(i, node)| view! { <TreeItem node level=1 posinset=i + 1 setsize state/> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn TreeItem(
    node: TreeNode,
    level: usize,
    posinset: usize,
    setsize: usize,
    state: TreeState,
) -> AnyView {
    let id = node.id;
    let has_children = node.has_children;
    let is_expanded = move || state.expanded.with(|e| e.contains(&id));
    let href = {
        let code = node.code.clone();
        move || position_url(&code, &state.query.get())
    };
    let group_id = format!("plan-group-{id}");
    let count_label = match node.akten_count {
        0 => None,
        1 => Some("1 Akte".to_string()),
        n => Some(format!("{n} Akten")),
    };
    let toggle = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        ev.stop_propagation();
        toggle_node(state, id, has_children);
    };
    let on_click = move |_| {
        // Selecting a closed node with children also opens it.
        if has_children && !is_expanded() {
            toggle_node(state, id, has_children);
        }
        state.focused.set(Some(id));
    };
    let inactive = !node.active;
    view! {
        <li role="none">
            // tachys has no typed `aria-level`; it is set as a custom attribute.
            <a
                {..custom_attribute("aria-level", level.to_string())}
                role="treeitem"
                href=href
                data-id=id
                aria-setsize=setsize
                aria-posinset=posinset
                aria-expanded=move || has_children.then(|| is_expanded().to_string())
                aria-owns=has_children.then(|| group_id.clone())
                aria-selected=move || (state.selected.get() == Some(id)).to_string()
                tabindex=move || if state.focused.get() == Some(id) { "0" } else { "-1" }
                class="tree-row"
                class:selected=move || state.selected.get() == Some(id)
                class:inactive=inactive
                on:click=on_click
            >
                <span class="tree-toggle" aria-hidden="true" on:click=toggle>
                    {move || if !has_children { "" } else if is_expanded() { "▾" } else { "▸" }}
                </span>
                <span class="code">{node.code.clone()}</span>
                <span class="tree-title">{node.title.clone()}</span>
                {inactive.then(|| view! { <span class="badge">"deaktiviert"</span> })}
                {count_label.map(|label| view! { <span class="badge count">{label}</span> })}
            </a>
            {move || {
                if !has_children || !is_expanded() {
                    return ().into_any();
                }
                let kids = state.children.with(|c| c.get(&id).cloned());
                match kids {
                    None => view! { <p class="tree-loading" role="status">"wird geladen …"</p> }.into_any(),
                    Some(kids) => {
                        let size = kids.len();
                        view! {
                            <ul role="group" id=format!("plan-group-{id}")>
                                {kids
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, child)| view! {
                                        <TreeItem node=child level=level + 1 posinset=i + 1 setsize=size state/>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                }
            }}
        </li>
    }
    .into_any()
}

/// Opens or closes a node, loading its children the first time.
fn toggle_node(state: TreeState, id: i64, has_children: bool) {
    if !has_children {
        return;
    }
    let open = state.expanded.with_untracked(|e| e.contains(&id));
    state.expanded.update(|e| {
        if open {
            e.remove(&id);
        } else {
            e.insert(id);
        }
    });
    if !open && state.children.with_untracked(|c| !c.contains_key(&id)) {
        leptos::task::spawn_local(async move {
            if let Ok(kids) = plan_children(id).await {
                state.children.update(|c| {
                    c.insert(id, kids);
                });
            }
        });
    }
}

/// Keyboard use of the tree as the WAI-ARIA tree pattern describes it.
mod keyboard {
    use super::TreeState;
    use leptos::prelude::*;

    #[cfg(not(feature = "hydrate"))]
    pub fn on_keydown(_: leptos::ev::KeyboardEvent, _: NodeRef<leptos::html::Ul>, _: TreeState) {}

    #[cfg(feature = "hydrate")]
    pub fn on_keydown(
        ev: leptos::ev::KeyboardEvent,
        tree: NodeRef<leptos::html::Ul>,
        state: TreeState,
    ) {
        use wasm_bindgen::JsCast;
        use web_sys::HtmlElement;

        let Some(tree) = tree.get_untracked() else {
            return;
        };
        let Ok(list) = tree.query_selector_all("[role=treeitem]") else {
            return;
        };
        let items: Vec<HtmlElement> = (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .collect();
        let id_of = |el: &HtmlElement| {
            el.get_attribute("data-id")
                .and_then(|v| v.parse::<i64>().ok())
        };
        let Some(current) = state.focused.get_untracked() else {
            return;
        };
        let Some(pos) = items.iter().position(|el| id_of(el) == Some(current)) else {
            return;
        };
        let level_of = |el: &HtmlElement| {
            el.get_attribute("aria-level")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
        };
        let focus = |index: usize| {
            if let Some(el) = items.get(index) {
                state.focused.set(id_of(el));
                let _ = el.focus();
            }
        };
        let expanded = items[pos].get_attribute("aria-expanded");
        match ev.key().as_str() {
            "ArrowDown" => focus((pos + 1).min(items.len() - 1)),
            "ArrowUp" => focus(pos.saturating_sub(1)),
            "Home" => focus(0),
            "End" => focus(items.len() - 1),
            "ArrowRight" => {
                let has_visible_child =
                    pos + 1 < items.len() && level_of(&items[pos + 1]) > level_of(&items[pos]);
                match expanded.as_deref() {
                    Some("false") => super::toggle_node(state, current, true),
                    Some("true") if has_visible_child => focus(pos + 1),
                    _ => {}
                }
            }
            "ArrowLeft" => {
                if expanded.as_deref() == Some("true") {
                    super::toggle_node(state, current, true);
                } else {
                    let level = level_of(&items[pos]);
                    if let Some(parent) = (0..pos).rev().find(|&i| level_of(&items[i]) < level) {
                        focus(parent);
                    }
                }
            }
            " " => {
                // Space selects like Enter (the link is followed).
                items[pos].click();
            }
            key if key.chars().count() == 1
                && !ev.ctrl_key()
                && !ev.meta_key()
                && !ev.alt_key() =>
            {
                // Type-ahead: the next item whose title starts with the letter.
                let wanted = crate::fold::fold(key);
                let title_of = |el: &HtmlElement| {
                    el.query_selector(".tree-title")
                        .ok()
                        .flatten()
                        .and_then(|t| t.text_content())
                        .map(|t| crate::fold::fold(&t))
                        .unwrap_or_default()
                };
                let order = (pos + 1..items.len()).chain(0..=pos);
                if let Some(found) = order
                    .into_iter()
                    .find(|&i| title_of(&items[i]).starts_with(&wanted))
                {
                    focus(found);
                }
            }
            _ => return,
        }
        ev.prevent_default();
    }
}

#[component]
fn Breadcrumbs(path: Vec<Crumb>) -> impl IntoView {
    let last = path.len().saturating_sub(1);
    view! {
        <nav aria-label="Pfad im Aktenplan" class="breadcrumbs">
            <ol>
                <li><a href="/aktenplan">"Aktenplan"</a></li>
                {path
                    .into_iter()
                    .enumerate()
                    .map(|(i, crumb)| {
                        let label = format!("{} {}", crumb.code, crumb.title);
                        if i == last {
                            view! { <li><a href=format!("/aktenplan/{}", crumb.code) aria-current="page">{label}</a></li> }.into_any()
                        } else {
                            view! { <li><a href=format!("/aktenplan/{}", crumb.code)>{label}</a></li> }.into_any()
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

#[component]
fn Detail(detail: PositionDetail, create: FormAction<crate::akten::AkteSummary>) -> impl IntoView {
    let heading = format!("{} {}", detail.code, detail.title);
    let keywords = detail.keywords.join(", ");
    let akten_count = detail.akten.len();
    view! {
        <Title text=heading.clone()/>
        <Breadcrumbs path=detail.path.clone()/>
        <section class="panel" aria-labelledby="position-heading" data-tour="position-details">
            <h2 id="position-heading">{heading}</h2>
            {(!detail.active).then(|| view! {
                <p class="notice info">"Diese Position ist deaktiviert. Bestehende Akten bleiben hier; neue Akten gehören an eine aktive Position."</p>
            })}
            <p class="description">{detail.description.clone()}</p>
            <dl class="facts">
                <dt>"Stichwörter"</dt>
                <dd>{if keywords.is_empty() { "–".to_string() } else { keywords }}</dd>
                <dt>"Aufbewahrung"</dt>
                <dd>{format!("{}, {}", detail.retention, detail.retention_trigger)}</dd>
                <dt>"Archivwert"</dt>
                <dd>{format!("{} – {}", detail.appraisal, detail.appraisal_label)}</dd>
            </dl>
            {crate::auth::use_current_user()
                .is_some_and(|user| crate::auth::guard::Rule::ProposePlanChanges.allows(&user))
                .then(|| view! {
                    <p>
                        <a href=format!("/aktenplan/abstimmung?position={}", detail.code)>
                            "Änderung an dieser Position vorschlagen"
                        </a>
                    </p>
                })}
            <crate::search::page::ScopedSearch scope="plan" value=detail.code.to_string() label="Dokumente in diesem Bereich des Aktenplans suchen"/>
        </section>
        <section class="panel" aria-labelledby="akten-heading">
            <h2 id="akten-heading">{format!("Akten Ihrer Gemeinde ({akten_count})")}</h2>
            {if detail.akten.is_empty() {
                view! { <p>"Unter dieser Position führt Ihre Gemeinde noch keine Akte."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"Aktenzeichen"</th>
                                    <th scope="col">"Titel"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Vorgänge"</th>
                                    <th scope="col">"Angelegt"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {detail.akten.into_iter().map(|listed| {
                                    let akte = listed.akte;
                                    let vorgaenge = match (listed.vorgaenge, listed.vorgaenge_open) {
                                        (0, _) => "–".to_string(),
                                        (all, 0) => format!("{all}, alle zdA"),
                                        (all, open) => format!("{all}, davon {open} offen"),
                                    };
                                    view! {
                                        <tr>
                                            <td><a href=format!("/akten/{}", akte.id)>{akte.aktenzeichen}</a></td>
                                            <td>{akte.title}</td>
                                            <td>{akte.status.label()}</td>
                                            <td>{vorgaenge}</td>
                                            <td>{akte.opened_on}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {detail.may_open_akte.then(|| view! { <NewAkteForm position_id=detail.id today=detail.today.clone() create/> })}
        </section>
    }
}

#[component]
fn NewAkteForm(
    position_id: i64,
    today: String,
    create: FormAction<crate::akten::AkteSummary>,
) -> impl IntoView {
    let responsible = crate::auth::use_current_user()
        .map(|u| u.display_name)
        .unwrap_or_default();
    view! {
        <details class="new-akte" data-tour="neue-akte">
            <summary>"Neue Akte anlegen"</summary>
            <PostForm action=create class="stacked-form narrow">
                <input type="hidden" name="position_id" value=position_id/>
                <label for="akte-title">"Titel der Akte"</label>
                <input id="akte-title" name="title" type="text" required maxlength="300"
                    placeholder="z. B. Bauantrag Neubau EFH, Hauptstraße 12"/>
                <label for="akte-responsible">"Zuständig"</label>
                <input id="akte-responsible" name="responsible" type="text" required maxlength="200" value=responsible/>
                <label for="akte-opened">"Angelegt am"</label>
                <input id="akte-opened" name="opened_on" type="date" required value=today/>
                <button type="submit" class="button primary">"Akte anlegen"</button>
            </PostForm>
        </details>
        <div role="status" aria-live="polite">
            {move || create.value().get().map(|result| match result {
                Ok(akte) => view! {
                    <p class="notice success">
                        "Akte angelegt: "
                        <a href=format!("/akten/{}", akte.id)>{akte.aktenzeichen}</a>
                    </p>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
    }
}
