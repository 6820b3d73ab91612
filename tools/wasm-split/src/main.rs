//! Splits the WASM that cargo built (before wasm-bindgen) at the points the
//! `#[lazy]` functions mark, as `cargo leptos build --split` does:
//!
//! - `<main_out>`: the main module, for wasm-bindgen,
//! - `<pkg>/<chunk>.wasm`: one module per split point plus shared chunks,
//! - `<pkg>/__wasm_split.______________________.js`: the loader the main
//!   module imports,
//! - `<pkg>/split-manifest.json`: which modules each split point needs,
//!   for the preload links the server puts into a page
//!   (`app::shell::lazy::preload`) and for `make size`. The standalone
//!   `wasm-split-cli` does not write it, hence this tool.
//!
//! Not under the name `cargo leptos --split` uses
//! (`__wasm_split_manifest.json`): Leptos would then add its own preload
//! links, but with leptos_axum 0.8.10 only on some requests (it looks for
//! the manifest outside any reactive owner), doubling ours on those.
//!
//! With `--strip-names` (release builds) the outputs lose their name
//! sections: the splitter copies the names of all data into every chunk,
//! 0.9 MB each, which wasm-opt would parse only to drop them.
//!
//! Usage: `aktenwerk-wasm-split [--strip-names] <input.wasm> <pkg dir> <main_out.wasm> <main JS module>`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// The loader's name as Leptos expects it without file hashing
/// (`leptos::hydration`): 22 underscores stand where a hash would go.
const LINK_NAME: &str = "./__wasm_split.______________________.js";
const MANIFEST: &str = "split-manifest.json";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let strip_names = args.first().is_some_and(|arg| arg == "--strip-names");
    if strip_names {
        args.remove(0);
    }
    let [input, pkg, main_out, main_module] = args.as_slice() else {
        eprintln!(
            "Aufruf: aktenwerk-wasm-split [--strip-names] <eingabe.wasm> <pkg-ordner> <haupt.wasm> <haupt-js-modul>"
        );
        return ExitCode::from(2);
    };
    let main_out = PathBuf::from(main_out);
    let result = split(
        &PathBuf::from(input),
        &PathBuf::from(pkg),
        &main_out,
        main_module,
    )
    .and_then(|chunks| {
        if strip_names {
            for file in chunks.iter().chain(std::iter::once(&main_out)) {
                strip_name_section(file)?;
            }
        }
        Ok(chunks)
    });
    match result {
        Ok(chunks) => {
            for chunk in chunks {
                println!("{}", chunk.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("WASM-Aufteilung fehlgeschlagen: {error:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(
    input: &std::path::Path,
    pkg: &std::path::Path,
    main_out: &std::path::Path,
    main_module: &str,
) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let wasm = std::fs::read(input).map_err(|error| format!("{}: {error}", input.display()))?;
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = pkg;
    options.main_out_path = main_out;
    options.main_module = main_module;
    options.link_name = LINK_NAME;
    let split = wasm_split_cli_support::transform(options).map_err(|error| format!("{error:?}"))?;
    // Sorted, so that an unchanged build writes an unchanged file.
    let manifest: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    std::fs::write(pkg.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    let mut chunks = split.split_modules;
    chunks.sort();
    Ok(chunks)
}

/// Rewrites a WASM file without its `name` custom section. Sections are
/// `id, size (LEB128), payload`; a custom section (id 0) starts its payload
/// with its own name.
fn strip_name_section(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let header = bytes.get(..8).ok_or("keine WASM-Datei")?;
    let mut out = header.to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        let (size, payload) = leb128(&bytes, at + 1)?;
        let end = payload.checked_add(size).filter(|&end| end <= bytes.len());
        let end = end.ok_or("Abschnitt reicht über das Dateiende")?;
        let is_names = id == 0 && {
            let (length, name) = leb128(&bytes, payload)?;
            bytes.get(name..name + length) == Some(b"name".as_slice())
        };
        if !is_names {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    std::fs::write(path, out)?;
    Ok(())
}

/// An unsigned LEB128 number at `at`: its value and where it ends.
fn leb128(bytes: &[u8], mut at: usize) -> Result<(usize, usize), Box<dyn std::error::Error>> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).ok_or("Zahl reicht über das Dateiende")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
    Err("Zahl zu lang".into())
}
