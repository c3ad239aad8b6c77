//! What the binary carries: the web page (`web/`) and the scenario library (`scenarios/`).

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use rust_embed::RustEmbed;
use serde::Serialize;
use skyshield_scenario::{MemoryResolver, Source, catalog, load_scenario};

/// The page's files: HTML, CSS, ES modules, and the vendored libraries with their licenses.
#[derive(RustEmbed)]
#[folder = "../../web"]
struct Web;

/// The scenario library: the YAML files at the top of `scenarios/`.
#[derive(RustEmbed)]
#[folder = "../../scenarios"]
#[include = "*.yaml"]
#[exclude = "examples/*"]
struct Library;

/// A file of the page and its media type; `None` when the page has no such file.
pub fn web_file(path: &str) -> Option<(Cow<'static, [u8]>, &'static str)> {
    let file = Web::get(path)?;
    Some((file.data, media_type(path)))
}

fn media_type(path: &str) -> &'static str {
    match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A scenario of the library, as the library page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryEntry {
    /// File name in `scenarios/`.
    pub file: String,
    pub name: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub runs: u64,
    pub seed: u64,
    /// Threats per run.
    pub threats: u64,
    /// `layered` or `abstract`.
    pub kind: &'static str,
}

/// Threats per run of a scenario.
pub fn threat_count(scenario: &skyshield_scenario::Scenario) -> u64 {
    match (scenario.as_layered(), scenario.as_abstract()) {
        (Some(l), _) => l.threat_count(),
        (None, Some(a)) => u64::from(a.threats),
        (None, None) => 0,
    }
}

/// The text of library file `file`.
pub fn library_text(file: &str) -> Option<String> {
    let bytes = Library::get(file)?.data;
    String::from_utf8(bytes.into_owned()).ok()
}

/// Every library scenario that loads, by file name.
pub fn library() -> &'static [LibraryEntry] {
    static ENTRIES: OnceLock<Vec<LibraryEntry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut files: Vec<String> = Library::iter().map(|f| f.into_owned()).collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|file| {
                let text = library_text(&file)?;
                let scenario = load_scenario(
                    Source::Text {
                        text: &text,
                        name: Path::new(&file),
                    },
                    &MemoryResolver::new(),
                    catalog(),
                    &crate::LIMITS,
                )
                .ok()?;
                Some(LibraryEntry {
                    threats: threat_count(&scenario),
                    kind: if scenario.as_layered().is_some() {
                        "layered"
                    } else {
                        "abstract"
                    },
                    file,
                    name: scenario.name,
                    description: scenario.description,
                    sources: scenario.sources,
                    runs: scenario.runs,
                    seed: scenario.seed,
                })
            })
            .collect()
    })
}
