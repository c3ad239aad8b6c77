//! Scenario files of skyshield: the file model, parsing with positions, validation into a
//! [`Scenario`], the JSON Schema, and the built-in catalog of threat, interceptor and sensor
//! types.
//!
//! # From text to a scenario
//! A scenario file is YAML (format: `docs/scenario-format.md`). It goes through three steps:
//!
//! 1. **Parse** ([`parse_str`]): the text becomes a tree of YAML nodes, each with its line and
//!    column, and then a [`ScenarioFile`], the file as written: every value with its
//!    [`Pos`], nothing resolved. Unknown fields, values of the wrong type, non-finite numbers
//!    (`.nan`, `.inf`) are found here. serde stops at the first error; this step does not: it
//!    leaves a bad value out, reads the file again, and so reports every problem (see
//!    `de.rs`).
//! 2. **Resolve** ([`resolve`]): ids are resolved to indices, catalog types are looked up and
//!    their `overrides` applied, units become SI, and the checks across the file are done
//!    (unknown types and ids with a "did you mean", duplicate ids, positions, counts, ranges
//!    `low <= nominal <= high`, launch sites out of the threat's range, …). Every problem is
//!    collected.
//! 3. The result is a [`Scenario`], which the engine reads, or [`Diagnostics`]: a list of
//!    `FILE:LINE:COL: message`, sorted by position.
//!
//! [`load`] does all of this for a file on disk, refusing files over [`MAX_FILE_BYTES`]
//! before reading them.
//!
//! A scenario that reconstructs an event may list the figures reported for it
//! ([`ReportedFigure`]), each tied to a [`Metric`] of the simulation's summary; the metric's
//! asset or interceptor type is checked against the scenario ([`reported`]).
//!
//! # The catalog
//! [`catalog()`] is the built-in catalog (`catalog/*.yaml`, compiled in). An entry's
//! parameters keep the unit of their key (`max_range_km` in km); [`CatalogEntry::number`]
//! reads one as an [`Uncertain`] `{low, nominal, high}`, [`CatalogEntry::number_si`] in SI.
//! A scenario element's type, with its overrides, is a [`ResolvedType`] with the same
//! accessors.
//!
//! # What is not guaranteed
//! - A valid scenario is consistent, not necessarily feasible: a threat within range of its
//!   aim may still be unreachable for the physical model with its nominal parameters, and
//!   a battery may sit where it can engage nothing. Those are the engine's findings.
//! - Positions are checked by [`skyshield_physics::earth::Geodetic::from_degrees`];
//!   heights default to 0 m above the WGS84 ellipsoid, not above the ground.
//! - A warning-zone GeoJSON file is read and checked here (see `zones.rs`); a generated grid
//!   is built by the engine, which places it on the ground.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

pub mod catalog;
mod de;
mod diag;
pub mod file;
mod located;
mod node;
pub mod reported;
mod resolve;
mod scenario;
pub mod threat_model;
mod uncertain;
mod zones;

pub use catalog::{
    Catalog, CatalogEntry, CatalogError, Class, Kind, ParamValue, Parameter, ParameterError,
    ResolvedType, Unit, Value, ValueType, catalog, try_catalog, unit_of,
};
pub use diag::{Diagnostic, Diagnostics, Pos, closest};
pub use file::ScenarioFile;
pub use located::Located;
pub use reported::{Metric, ReportedFigure};
pub use resolve::{
    DEFAULT_ALL_CLEAR_S, DEFAULT_MIN_LEAD_S, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_WARNING_CONFIDENCE,
};
pub use scenario::{
    AbstractScenario, Aim, Area, Asset, AssetKind, Battery, Command, Doctrine, Earth, EarthModel,
    GridShape, LaunchSites, Layer, LayeredScenario, RaidGroup, Scenario, ScenarioKind, Sensor,
    Shape, Tracking, Warning, WarningZone, WarningZones,
};
pub use uncertain::{Uncertain, UncertainError};
pub use zones::ring_area;

use diag::Problems;
use node::{Node, NodeKind};

/// Largest scenario file accepted, bytes (10 MiB). Larger files are refused before they are
/// read.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Why a scenario file could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{}", diagnostic_too_large(path, *size, *limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, bytes (at least; reading stopped past the limit).
        size: u64,
        /// The limit, bytes.
        limit: u64,
    },
    /// The file was read but is not a valid scenario: every problem, with its position.
    #[error("{0}")]
    Invalid(Diagnostics),
}

fn diagnostic_too_large(path: &Path, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::new(
        path,
        Pos::START,
        format!(
            "the file is too large: {size} bytes, over the limit of {limit} bytes ({} MiB) for a scenario file",
            limit / (1024 * 1024)
        ),
    )
}

impl LoadError {
    /// The error as diagnostics, one per problem. A file that cannot be read gives one
    /// diagnostic at line 1, column 1.
    pub fn diagnostics(&self) -> Diagnostics {
        match self {
            LoadError::Read { path, source } => Diagnostics(vec![Diagnostic::new(
                path,
                Pos::START,
                format!("cannot read the file: {source}"),
            )]),
            LoadError::TooLarge { path, size, limit } => {
                Diagnostics(vec![diagnostic_too_large(path, *size, *limit)])
            }
            LoadError::Invalid(d) => d.clone(),
        }
    }
}

/// Read a text file of at most [`MAX_FILE_BYTES`]: the size is checked before reading, and
/// the read itself stops past the limit (for files whose size is not known in advance).
pub fn read_file(path: &Path) -> Result<String, LoadError> {
    let read_err = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let text = String::from_utf8_lossy(&bytes[..valid]);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadError::Invalid(Diagnostics(vec![Diagnostic::new(
            path,
            Pos {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            format!(
                "not a text file: expected UTF-8 text, found an invalid byte at offset {valid}"
            ),
        )]))
    })
}

/// Load, parse and validate a scenario file against the built-in catalog.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    load_with(path, catalog())
}

/// Load, parse and validate a scenario file against `catalog`.
pub fn load_with(path: &Path, catalog: &Catalog) -> Result<Scenario, LoadError> {
    let text = read_file(path)?;
    from_str_with(&text, path, catalog).map_err(LoadError::Invalid)
}

/// Parse and validate scenario text against the built-in catalog. `path` names the file in
/// diagnostics and is the base of relative paths in it.
pub fn from_str(text: &str, path: &Path) -> Result<Scenario, Diagnostics> {
    from_str_with(text, path, catalog())
}

/// Parse and validate scenario text against `catalog`, reporting every problem.
pub fn from_str_with(text: &str, path: &Path, catalog: &Catalog) -> Result<Scenario, Diagnostics> {
    let mut problems = Problems::default();
    let (file, damage) = parse_into(text, &mut problems);
    let scenario =
        file.and_then(|f| resolve::check(&f, path, catalog, &mut problems, &damage, damage.any));
    match scenario {
        Some(s) if problems.is_empty() => Ok(s),
        _ => Err(problems.into_diagnostics(path)),
    }
}

/// Parse scenario text into the file model, without the checks across the file.
pub fn parse_str(text: &str, path: &Path) -> Result<ScenarioFile, Diagnostics> {
    let mut problems = Problems::default();
    let (file, _) = parse_into(text, &mut problems);
    match file {
        Some(f) if problems.is_empty() => Ok(f),
        _ => Err(problems.into_diagnostics(path)),
    }
}

/// Check a parsed file and build the scenario against `catalog`.
pub fn resolve(
    file: &ScenarioFile,
    path: &Path,
    catalog: &Catalog,
) -> Result<Scenario, Diagnostics> {
    let mut problems = Problems::default();
    match resolve::check(
        file,
        path,
        catalog,
        &mut problems,
        &Damage::default(),
        false,
    ) {
        Some(s) if problems.is_empty() => Ok(s),
        _ => Err(problems.into_diagnostics(path)),
    }
}

/// YAML text as JSON (for checking a file against the JSON Schema, say).
pub fn yaml_to_json(text: &str, path: &Path) -> Result<serde_json::Value, Diagnostics> {
    let mut problems = Problems::default();
    match parse_tree(text, &mut problems) {
        Some(root) => Ok(root.to_json()),
        None => Err(problems.into_diagnostics(path)),
    }
}

/// The JSON Schema of the scenario format (draft 2020-12), derived from [`ScenarioFile`].
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(ScenarioFile);
    schema.to_value()
}

/// The text as a YAML tree; `None` with a problem when it is not YAML or is empty.
fn parse_tree(text: &str, problems: &mut Problems) -> Option<Node> {
    if text.trim().is_empty() {
        problems.push(
            Pos::START,
            "the file is empty: expected a scenario, a mapping with at least `name` and `raid`",
        );
        return None;
    }
    match node::parse(text) {
        Ok(root) if root.kind == NodeKind::Null => {
            problems.push(
                Pos::START,
                "the file has no content (only comments): expected a scenario, a mapping with at least `name` and `raid`",
            );
            None
        }
        Ok(root) => Some(root),
        Err(err) => {
            let (pos, message) = yaml_error(&err);
            problems.push(pos, message);
            None
        }
    }
}

fn parse_into(text: &str, problems: &mut Problems) -> (Option<ScenarioFile>, Damage) {
    let Some(root) = parse_tree(text, problems) else {
        return (None, Damage::default());
    };
    let (file, masked) = de::from_node_masked::<ScenarioFile>(&root, problems);
    let mut damage = Damage {
        any: !masked.is_empty(),
        ..Damage::default()
    };
    if damage.any {
        collect_damage(&root, &masked, &mut damage);
    }
    (file, damage)
}

/// Elements (by id) that lost values because they could not be read.
#[derive(Debug, Default)]
pub(crate) struct Damage {
    /// Whether any value was left out.
    pub(crate) any: bool,
    /// Elements left out entirely.
    pub(crate) dropped: HashSet<String>,
    /// Elements with a value left out somewhere inside (the dropped ones included).
    pub(crate) damaged: HashSet<String>,
}

/// Fill `damage` from the masked nodes; returns whether `node` or a node inside it is masked.
fn collect_damage(node: &Node, masked: &HashSet<u32>, damage: &mut Damage) -> bool {
    let mut inside = false;
    match &node.kind {
        NodeKind::Seq(items) => {
            for i in items {
                inside |= collect_damage(i, masked, damage);
            }
        }
        NodeKind::Map(entries) => {
            for (_, v) in entries {
                inside |= collect_damage(v, masked, damage);
            }
        }
        _ => {}
    }
    let this = masked.contains(&node.id);
    if let Some(id) = node.get("id").and_then(Node::as_str) {
        if this {
            damage.dropped.insert(id.to_owned());
        }
        if this || inside {
            damage.damaged.insert(id.to_owned());
        }
    }
    this || inside
}

/// Position and message of a YAML syntax error.
pub(crate) fn yaml_error(err: &serde_saphyr::Error) -> (Pos, String) {
    use serde_saphyr::MessageFormatter;
    let pos = err
        .location()
        .map(|l| Pos {
            line: u32::try_from(l.line()).unwrap_or(u32::MAX).max(1),
            column: u32::try_from(l.column()).unwrap_or(u32::MAX).max(1),
        })
        .unwrap_or(Pos::START);
    let text = serde_saphyr::UserMessageFormatter.format_message(err.without_snippet());
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    (pos, format!("not valid YAML: {clean}"))
}

/// The built-in default scenario (`scenarios/default.yaml`): what `skyshield run` runs without
/// a file.
pub const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/default.yaml");
