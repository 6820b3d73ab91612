//! The dependency order of the features, checked against the source.
//!
//! Types, server functions, use cases and storage of a feature may use only
//! the foundation and features *below* it in [`ORDER`]; so there is always a
//! safe place to start reading (the bottom) and no change ripples upwards.
//! Pages and components (files with `view!`) compose: they may embed other
//! features' components and call their server functions, but never the
//! shell. ARCHITECTURE.md explains the order; this test keeps it true.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Modules every feature may use; they use no feature themselves.
const FOUNDATION: &[&str] = &[
    "error",
    "server_json",
    "db",
    "time",
    "fold",
    "ui",
    "form_post",
    "markdown",
    "spreadsheet",
    "secrets",
    "municipalities",
];

/// Modules that only compose (the app root, the shell, the handles of a
/// running server) and the checks themselves: exempt from the order.
const COMPOSERS: &[&str] = &["", "shell", "state", "architecture"];

/// Layers, lowest first. A layer is named by module prefixes; a file belongs
/// to the layer of its longest matching prefix, so a feature may be split
/// where its parts sit at different heights (the audit log is written by
/// everyone, sign-in writes to it).
const ORDER: &[(&str, &[&str])] = &[
    ("identity", &["auth", "auth::guard", "auth::permissions"]),
    ("audit", &["audit"]),
    ("markdown_preview", &["markdown_preview"]),
    (
        "sign-in",
        &[
            "auth::login",
            "auth::session",
            "auth::password",
            "auth::throttle",
            "auth::server_fns",
            "auth::service",
            "auth::storage",
            "auth::hooks",
        ],
    ),
    ("rollout_days", &["rollout_days"]),
    ("users", &["users"]),
    ("funktionen", &["funktionen"]),
    ("aktenplan", &["aktenplan"]),
    ("akten", &["akten"]),
    ("vorgaenge", &["vorgaenge"]),
    ("explorer", &["aktenplan::explorer"]),
    ("jobs", &["processing", "processing::storage"]),
    ("documents", &["documents"]),
    ("search", &["search"]),
    (
        "processing",
        &["processing::server_fns", "processing::service"],
    ),
    ("scan", &["scan"]),
    ("postfach", &["postfach"]),
    ("ablage", &["ablage"]),
    ("vertretung", &["vertretung"]),
    ("laufwege", &["laufwege"]),
    ("postkorb", &["postkorb"]),
    ("announcements", &["announcements"]),
    ("guides", &["guides"]),
    ("questions", &["questions"]),
    ("comms", &["announcements::header", "announcements::status"]),
    ("training_sessions", &["training_sessions"]),
    ("tours", &["tours"]),
    ("rollout", &["rollout"]),
    ("practice", &["practice"]),
];

fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let name = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("::");
    if name == "lib" {
        String::new()
    } else {
        name
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The layer of a module: (rank, name), or None for foundation/composers.
fn layer(module: &str) -> Option<(usize, &'static str)> {
    let top = module.split("::").next().unwrap_or_default();
    if FOUNDATION.contains(&top) || COMPOSERS.contains(&top) {
        return None;
    }
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (rank, (name, prefixes)) in ORDER.iter().enumerate() {
        for prefix in *prefixes {
            let matches = module == *prefix || module.starts_with(&format!("{prefix}::"));
            if matches && best.is_none_or(|(len, _, _)| prefix.len() > len) {
                best = Some((prefix.len(), rank, name));
            }
        }
    }
    best.map(|(_, rank, name)| (rank, name))
}

/// Every `crate::a::b` path a file names, outside comments.
fn crate_paths(source: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::b, c};` on one line.
                let group = group.split('}').next().unwrap_or_default();
                for part in group.split(',') {
                    paths.push(path_prefix(part.trim()));
                }
            } else {
                paths.push(path_prefix(rest));
            }
        }
    }
    paths
}

fn path_prefix(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':')
        .collect::<String>()
        .trim_end_matches(':')
        .to_owned()
}

/// The longest prefix of `path` that is a module of the crate.
fn resolve<'a>(modules: &'a BTreeMap<String, bool>, path: &str) -> Option<&'a str> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().find_map(|n| {
        let candidate = parts[..n].join("::");
        modules.get_key_value(&candidate).map(|(k, _)| k.as_str())
    })
}

#[test]
fn features_depend_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // module → is it a page/component file?
    let mut modules = BTreeMap::new();
    let mut sources = BTreeMap::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read source");
        let module = module_of(&src, file);
        modules.insert(module.clone(), source.contains("view!"));
        sources.insert(module, source);
    }

    let mut unplaced = Vec::new();
    let mut violations = Vec::new();
    for (module, source) in &sources {
        let top = module.split("::").next().unwrap_or_default();
        if COMPOSERS.contains(&top) {
            continue;
        }
        let is_page = modules[module];
        let from = layer(module);
        if from.is_none() && !FOUNDATION.contains(&top) {
            unplaced.push(module.clone());
        }
        for path in crate_paths(source) {
            let Some(target) = resolve(&modules, &path) else {
                continue;
            };
            let target_top = target.split("::").next().unwrap_or_default();
            if target_top == "shell" {
                violations.push(format!(
                    "{module} → {target}: features never import the shell"
                ));
                continue;
            }
            if target_top == top || FOUNDATION.contains(&target_top) || target_top == "state" {
                continue;
            }
            if FOUNDATION.contains(&top) {
                violations.push(format!(
                    "{module} → {target}: the foundation uses no feature"
                ));
                continue;
            }
            if is_page {
                continue;
            }
            if let (Some((rank, name)), Some((target_rank, target_name))) = (from, layer(target)) {
                if target_rank >= rank {
                    violations.push(format!(
                        "{module} ({name}) → {target} ({target_name}): reaches up or sideways"
                    ));
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules in no layer of ORDER: {unplaced:?}"
    );
    assert!(
        violations.is_empty(),
        "dependencies against the order in ORDER:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_check_sees_an_upward_dependency() {
    // The audit log must not know sign-in, and a path inside a group is found.
    assert!(layer("audit::storage").expect("placed") < layer("auth::login").expect("placed"));
    assert!(layer("akten::storage") < layer("aktenplan::explorer::service"));
    assert_eq!(layer("processing::storage").map(|l| l.1), Some("jobs"));
    assert_eq!(
        layer("processing::service").map(|l| l.1),
        Some("processing")
    );
    assert_eq!(
        crate_paths("use crate::{akten::storage, time}; // crate::shell"),
        vec!["akten::storage", "time"]
    );
}
