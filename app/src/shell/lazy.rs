//! The pages whose code the browser loads only when one of them is shown.
//!
//! What everybody needs first stays in the main module: the login page,
//! the layout with header, tours and banners, and the start page. A
//! trainee's first steps (Schulung, Übung, training record) are one group;
//! every other page is the second. Each group is one `#[lazy]` function,
//! and scripts/build.sh splits the WASM bundle at these functions.
//!
//! Two groups, not one per feature: code that several groups share goes
//! into chunks of its own, and every module boundary costs compression
//! (monomorphised code that gzip and brotli would find repeated sits in
//! different files) and a request. Fifteen groups made 287 modules, a
//! first visit of the Aktenplan fetched 151 of them, and the whole bundle
//! was 1340 KiB gzip; these two make 3 modules and 1033 KiB, while the
//! first page after login stays at the same 294 KiB brotli (measured
//! 2026-12-07, `make size`). After the first visit of a page in the second
//! group the browser has every page, and later visits only revalidate.
//!
//! On the server a lazy page renders like any other and names the modules
//! it needs as preload links ([`preload`]), so a first visit fetches them
//! alongside the main module instead of one after the other as the loader
//! discovers them.
//!
//! The pages load their data themselves, as before: `data()` is empty.

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `lazy_pages!(group_fn, __preload_group_fn, GroupEnum { Route => Page in feature::module, … })`:
/// every `Route` shows its `Page` from the group's WASM module. The split
/// point is named after `group_fn`, so server and browser agree on it.
macro_rules! lazy_pages {
    ($group:ident, $preload:ident, $which:ident {
        $($route:ident => $page:ident in $($module:ident)::+),+ $(,)?
    }) => {
        #[derive(Debug, Clone, Copy)]
        pub enum $which {
            $($route),+
        }

        #[leptos::lazy]
        fn $group(which: $which) -> AnyView {
            #[cfg(feature = "ssr")]
            preload::links(stringify!($group));
            match which {
                $($which::$route => {
                    use crate::$($module)::+::$page;
                    view! { <$page/> }.into_any()
                })+
            }
        }

        $(
            #[derive(Debug)]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $group($which::$route).await
                }

                async fn preload() {
                    // Only the browser has modules to fetch.
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )+
    };
}

// A trainee's first steps: the Schulung page with the walkthroughs, the
// training record and the practice area.
lazy_pages!(learning_pages, __preload_learning_pages, LearningPages {
    SchulungRoute => SchulungPage in tours::record_page,
    RecordOverviewRoute => RecordOverviewPage in tours::record_page,
    PracticeRoute => PracticePage in practice::page,
});

// Every other page, from the Posteingang to the administration.
lazy_pages!(other_pages, __preload_other_pages, OtherPages {
    PostkorbRoute => PostkorbPage in postkorb::page,
    AbwesenheitRoute => AbwesenheitPage in vertretung::page,
    FunktionenRoute => FunktionenPage in funktionen::page,
    ScanOrdnerRoute => ScanOrdnerPage in scan::page,
    PostfaecherRoute => PostfaecherPage in postfach::page,
    PosteingangRoute => PosteingangPage in documents::inbox_page,
    ExplorerRoute => ExplorerPage in aktenplan::explorer,
    AkteRoute => AktePage in akten::page,
    VorgangRoute => VorgangPage in vorgaenge::detail_page,
    DocumentRoute => DocumentPage in documents::document_page,
    TrashRoute => TrashPage in documents::trash_page,
    AbstimmungRoute => AbstimmungPage in aktenplan::abstimmung::page,
    ReleasesRoute => ReleasesPage in aktenplan::abstimmung::page,
    CsvImportRoute => CsvImportPage in aktenplan::csv_import_page,
    SearchRoute => SearchPage in search::page,
    TourListRoute => TourListPage in tours::editor_page,
    TourEditRoute => TourEditPage in tours::editor_page,
    NeuigkeitenRoute => NeuigkeitenPage in announcements::page,
    AnnouncementEditorRoute => AnnouncementEditorPage in announcements::editor_page,
    ManageAnnouncementsRoute => ManageAnnouncementsPage in announcements::stats_page,
    AnnouncementStatsRoute => AnnouncementStatsPage in announcements::stats_page,
    LibraryRoute => LibraryPage in guides::page,
    ScreenGuideRoute => ScreenGuidePage in guides::page,
    GuideRoute => GuidePage in guides::page,
    QuestionsRoute => QuestionsPage in questions::page,
    FaqRoute => FaqPage in questions::page,
    QuestionRoute => QuestionPage in questions::page,
    TrainingSessionsRoute => TrainingSessionsPage in training_sessions::page,
    TrainingSessionRoute => TrainingSessionPage in training_sessions::page,
    NewTrainingSessionRoute => NewTrainingSessionPage in training_sessions::page,
    EditTrainingSessionRoute => EditTrainingSessionPage in training_sessions::page,
    RolloutRoute => RolloutPage in rollout::page,
    UserAdminRoute => UserAdminPage in users::admin_page,
    AuditRoute => AuditPage in audit::page,
    QueueRoute => QueuePage in processing::queue_page,
    ChangePasswordRoute => ChangePasswordPage in auth::password_page,
    AccessibilityRoute => AccessibilityPage in shell::pages,
});

/// Preload links for the modules of a lazy page group, in the page's head.
///
/// Leptos means to do this itself from `__wasm_split_manifest.json`, but
/// with leptos_axum 0.8.10 it looks the manifest up after rendering,
/// outside any reactive owner, and finds it only when a previous task
/// happened to leave an owner set: most pages got no links, some got them
/// (checked 2026-12-06). The build therefore writes the manifest under its
/// own name, which Leptos does not read, and this adds the links always.
#[cfg(feature = "ssr")]
pub mod preload {
    use leptos::prelude::*;
    use leptos_meta::Link;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    /// What `scripts/build.sh` writes: split point → modules it needs.
    const MANIFEST: &str = "split-manifest.json";
    /// The loader the main module imports (the underscores stand where a
    /// file hash would go).
    const LOADER: &str = "__wasm_split.______________________.js";

    struct Manifest {
        pkg: String,
        /// Split point name without its hash suffix → module names.
        groups: HashMap<String, Vec<String>>,
    }

    static LOADED: OnceLock<Option<Manifest>> = OnceLock::new();

    /// The groups whose links this response already carries: the router
    /// runs a lazy route's view more than once while rendering a page.
    #[derive(Clone, Default)]
    struct Linked(ArcStoredValue<Vec<&'static str>>);

    /// Reads the manifest of the bundle the server serves, once per
    /// process (like Leptos), and starts the response's list of linked
    /// groups. Without a split build there is no manifest, and no page gets
    /// preload links.
    pub fn init(options: &LeptosOptions) {
        provide_context(Linked::default());
        LOADED.get_or_init(|| {
            let pkg = options.site_pkg_dir.to_string();
            let path = std::path::Path::new(options.site_root.as_ref())
                .join(&pkg)
                .join(MANIFEST);
            let text = std::fs::read_to_string(&path).ok()?;
            let entries: HashMap<String, Vec<String>> = match serde_json::from_str(&text) {
                Ok(entries) => entries,
                Err(error) => {
                    tracing::warn!(%error, path = %path.display(), "split manifest unreadable");
                    return None;
                }
            };
            // `admin_pages_5486…` → `admin_pages`: the hash depends on
            // where the macro was expanded, the group name does not.
            let groups = entries
                .into_iter()
                .map(|(key, modules)| {
                    let group = key.rsplit_once('_').map_or(key.as_str(), |(name, _)| name);
                    (group.to_string(), modules)
                })
                .collect();
            Some(Manifest { pkg, groups })
        });
    }

    /// Adds the group's modules and the loader to the head of the page
    /// being rendered.
    pub fn links(group: &'static str) {
        let Some(Some(manifest)) = LOADED.get() else {
            return;
        };
        let Some(modules) = manifest.groups.get(group) else {
            return;
        };
        let Some(linked) = use_context::<Linked>() else {
            return;
        };
        let first = linked
            .0
            .try_update_value(|groups| {
                let first = !groups.contains(&group);
                if first {
                    groups.push(group);
                }
                first
            })
            .unwrap_or(false);
        if !first {
            return;
        }
        let pkg = &manifest.pkg;
        // Rendering a meta component registers it with the page's head.
        let _ = view! { <Link rel="modulepreload" href=format!("/{pkg}/{LOADER}")/> }.to_html();
        for module in modules {
            // `crossorigin` makes the preload match the loader's fetch().
            let _ = view! {
                <Link
                    rel="preload"
                    href=format!("/{pkg}/{module}.wasm")
                    as_="fetch"
                    type_="application/wasm"
                    crossorigin="anonymous"
                />
            }
            .to_html();
        }
    }
}
