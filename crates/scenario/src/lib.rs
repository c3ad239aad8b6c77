//! Scenario files of skyshield: the file model, parsing with positions, validation into a
//! [`Scenario`], the JSON Schema, and the built-in catalog of threat, interceptor and sensor
//! types.
//!
//! # What this crate owns, and what it must not depend on
//! It owns everything from scenario text to a validated [`Scenario`]: the file model, its
//! parsing with positions, validation (every problem, located), the JSON Schema, the built-in
//! catalog and the typed parameters that the models read. It must not depend on the engine,
//! Monte Carlo, report or front-end crates, nor on rayon or tokio; the only files it reads are a
//! scenario and, through a [`FileResolver`], the files that scenario names.
//!
//! # Conventions
//! Time, positions, ids and units follow the conventions of every crate, stated in
//! `skyshield-core`'s documentation. Catalog parameters
//! are the one exception to SI: they keep the unit of their key ([`unit_of`]) unless a typed
//! parameter says it is in SI.
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
//! [`load_scenario`] does all of this, for a file on disk (refusing files over
//! [`MAX_FILE_BYTES`] before reading them) or for text, and reads the files a scenario names
//! (warning zones) through a [`FileResolver`]: a [`FolderResolver`] confined to the scenario's
//! folder, or a [`MemoryResolver`] of files held in memory. [`load`] and [`from_str`] are it
//! with the scenario's folder.
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
//! - A warning-zone GeoJSON file is read (through the [`FileResolver`]) and checked here (see
//!   `zones.rs`); a generated grid is built by the engine, which places it on the ground.

use std::path::Path;

pub mod catalog;
mod class;
mod damage;
mod de;
mod de_error;
mod diag;
mod entry;
pub mod file;
mod limits;
mod lint;
mod located;
mod node;
mod overrides;
mod params;
pub mod reported;
mod resolve;
mod scenario;
mod source;
pub mod threat_model;
mod uncertain;
mod values;
mod zones;

pub use catalog::{
    Catalog, CatalogEntry, CatalogError, Class, FlightFigure, FlightQuantity, Kind, ParamValue,
    Parameter, ParameterError, ResolvedType, Scanning, Tier, Unit, Value, ValueType, catalog,
    try_catalog, unit_of,
};
pub use diag::{Diagnostic, Diagnostics, Pos, closest, did_you_mean};
pub use file::ScenarioFile;
pub use limits::{Limit, Limits, OverLimit};
pub use lint::{MAX_USUAL_RADIUS_M, MAX_USUAL_ZONES, PATH_STEP_M, SWAP_MIN_DISTANCE_M, lint};
pub use located::Located;
pub use overrides::{MAX_OVERRIDES, with_overrides};
pub use params::{InterceptorParams, RadarParams, SensorParams, SpaceIrParams, ThreatParams};
pub use reported::{Metric, ReportedFigure};
pub use resolve::{
    DEFAULT_ALL_CLEAR_S, DEFAULT_MIN_LEAD_S, DEFAULT_RUNS, DEFAULT_SEED,
    DEFAULT_WARNING_CONFIDENCE, NETWORK_DELAY_S, REQUIRED_KILL_PROBABILITY,
};
pub use scenario::{
    AbstractScenario, Aim, Area, Asset, AssetKind, Battery, BatteryAvailability, Campaign, Command,
    DayRaid, Delivery, DeliverySource, Doctrine, Earth, EarthModel, GridShape, LaunchPulse,
    LaunchSites, LauncherPool, Layer, LayeredScenario, MAX_ASSETS, MAX_PULSES, Policy, RaidGroup,
    Scenario, ScenarioKind, Sensor, Shape, Tracking, Warning, WarningZone, WarningZones,
};
pub use source::{
    FileError, FileResolver, FolderResolver, LoadError, MAX_FILE_BYTES, MemoryResolver,
    ResolvedFile, Source, read_file,
};
pub use uncertain::{Uncertain, UncertainError};
pub use zones::ring_area;

use damage::{Damage, collect_damage};
use diag::Problems;
use node::{Node, NodeKind, yaml_error};

/// A valid scenario and the lints of its file ([`lint`]): warnings about input that is valid
/// but implausible.
#[derive(Debug, Clone)]
pub struct Checked {
    pub scenario: Scenario,
    pub warnings: Diagnostics,
}

/// Loads a scenario: reads its text (a file of at most [`MAX_FILE_BYTES`], or text held by the
/// caller), parses it, and validates it against `catalog`, reading the files it names through
/// `files`, and refusing what asks for more than `limits` allow. Every other way of loading a
/// scenario goes through this one (with [`Limits::DEFAULT`]).
pub fn load_scenario(
    source: Source<'_>,
    files: &dyn FileResolver,
    catalog: &Catalog,
    limits: &Limits,
) -> Result<Scenario, LoadError> {
    load_checked(source, files, catalog, limits, false).map(|c| c.scenario)
}

/// Loads a scenario as [`load_scenario`] does, and lints it ([`lint`]).
pub fn check_scenario(
    source: Source<'_>,
    files: &dyn FileResolver,
    catalog: &Catalog,
    limits: &Limits,
) -> Result<Checked, LoadError> {
    load_checked(source, files, catalog, limits, true)
}

fn load_checked(
    source: Source<'_>,
    files: &dyn FileResolver,
    catalog: &Catalog,
    limits: &Limits,
    with_lints: bool,
) -> Result<Checked, LoadError> {
    let name = source.name();
    let read;
    let text = match source {
        Source::Path(path) => {
            read = read_file(path)?;
            read.as_str()
        }
        Source::Text { text, .. } => text,
    };
    let mut problems = Problems::default();
    let (file, damage) = parse_into(text, &mut problems);
    let Some(file) = file else {
        return Err(LoadError::Invalid(problems.into_diagnostics(name)));
    };
    let checked = resolve::check(
        &file,
        files,
        catalog,
        &mut problems,
        &damage,
        damage.any,
        limits,
    );
    match checked {
        Some(scenario) if problems.is_empty() => {
            let warnings = if with_lints {
                lint(&file, &scenario, name)
            } else {
                Diagnostics::default()
            };
            Ok(Checked { scenario, warnings })
        }
        _ => Err(LoadError::Invalid(problems.into_diagnostics(name))),
    }
}

/// Load, parse and validate a scenario file against the built-in catalog, reading the files
/// it names from its folder ([`load_scenario`] with a [`FolderResolver`]).
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    load_with(path, catalog())
}

/// Load, parse and validate a scenario file against `catalog`, reading the files it names
/// from its folder.
pub fn load_with(path: &Path, catalog: &Catalog) -> Result<Scenario, LoadError> {
    load_scenario(
        Source::Path(path),
        &FolderResolver::for_scenario(path),
        catalog,
        &Limits::DEFAULT,
    )
}

/// Loads and lints a scenario file against the built-in catalog within `limits`, as
/// [`check_scenario`] does, reading the files it names from its folder; gives the checked
/// scenario and its text.
pub fn check_keeping_text(path: &Path, limits: &Limits) -> Result<(Checked, String), LoadError> {
    let text = read_file(path)?;
    let checked = check_scenario(
        Source::Text {
            text: &text,
            name: path,
        },
        &FolderResolver::for_scenario(path),
        catalog(),
        limits,
    )?;
    Ok((checked, text))
}

/// Parse and validate scenario text against the built-in catalog. `path` names the file in
/// diagnostics, and the files it names are read from the folder of `path`.
pub fn from_str(text: &str, path: &Path) -> Result<Scenario, Diagnostics> {
    from_str_with(text, path, catalog())
}

/// Parse and validate scenario text against `catalog`, reporting every problem; the files it
/// names are read from the folder of `path`.
pub fn from_str_with(text: &str, path: &Path, catalog: &Catalog) -> Result<Scenario, Diagnostics> {
    load_scenario(
        Source::Text { text, name: path },
        &FolderResolver::for_scenario(path),
        catalog,
        &Limits::DEFAULT,
    )
    .map_err(|e| e.diagnostics())
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

/// Check a parsed file and build the scenario against `catalog`, reading the files it names
/// through `files`; `path` names the file in diagnostics.
pub fn resolve(
    file: &ScenarioFile,
    path: &Path,
    files: &dyn FileResolver,
    catalog: &Catalog,
) -> Result<Scenario, Diagnostics> {
    let mut problems = Problems::default();
    match resolve::check(
        file,
        files,
        catalog,
        &mut problems,
        &Damage::default(),
        false,
        &Limits::DEFAULT,
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

/// The built-in default scenario (`scenarios/default.yaml`): what `skyshield run` runs without
/// a file.
pub const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/default.yaml");
