//! Outputs of skyshield runs, written atomically: a file is written under a temporary name in
//! its folder and renamed when complete, so an interrupted run never leaves a file that looks
//! complete.
//!
//! - `summary.json`: the [`Summary`] of a batch (the contract of `skyshield run --format json`).
//! - `runs.parquet`: one row per run ([`RunRow`]): run index, seed, fates, interceptors fired per
//!   type (a column `shots_<type>` each), costs.
//! - `events.parquet`: one row per threat per sampled run ([`write_events_parquet`]).
//! - `impacts.geojson`: impacts, intercepts and debris of the sampled runs as points
//!   ([`impacts_geojson`]).
//! - `replay.czml` (CesiumJS) and `replay.kml` (Google Earth): one run replayed alone
//!   ([`Replay`]), usually the [`representative_run`] of the sample ([`replay_czml`],
//!   [`replay_kml`]), with the warning zones alerted in it.
//! - `zones.geojson`: the warning zones with their alert and impact statistics, and
//!   `alerts.geojson`: the zones alerted in one run ([`zones`]).
//! - `report.html` and `plots/`: the report of a run's output folder ([`html`], [`plots`]), read
//!   back from `summary.json` and `events.parquet` ([`input`]).

mod basemap;
mod czml;
mod events;
pub mod html;
pub mod input;
mod kml;
pub mod plots;
mod replay;

pub use czml::replay_czml;
pub use events::{impacts_geojson, write_events_parquet, write_impacts_geojson};
pub use kml::replay_kml;
pub use replay::{DEFAULT_EPOCH, Recording, Replay, representative_run};

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use skyshield_mc::{Prepared, RunRow, Summary};

pub mod zones;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot encode {}: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    #[error("a time of the replay is out of the calendar's range: {message}")]
    Time { message: String },
    #[error("cannot draw {plot}: {message}")]
    Plot { plot: String, message: String },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename; on
/// failure, the temporary file is removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let tmp = partial_path(path);
    let result = fs::write(&tmp, bytes)
        .map_err(io_error(&tmp))
        .and_then(|()| fs::rename(&tmp, path).map_err(io_error(path)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// The summary as pretty JSON, with the time spent preparing the scenario, the `version` of
/// skyshield, and the `representative_run` replayed in `replay.czml` (null when none).
pub fn summary_json(
    summary: &Summary,
    prepare_s: f64,
    representative_run: Option<u64>,
) -> Result<String, serde_json::Error> {
    let mut doc = serde_json::to_value(summary)?;
    doc["timing"]["prepare_s"] = serde_json::json!(prepare_s);
    doc["version"] = serde_json::json!(env!("CARGO_PKG_VERSION"));
    doc["representative_run"] = serde_json::json!(representative_run);
    serde_json::to_string_pretty(&doc)
}

/// Writes `summary.json` ([`summary_json`]).
pub fn write_summary(
    path: &Path,
    summary: &Summary,
    prepare_s: f64,
    representative_run: Option<u64>,
) -> Result<(), ReportError> {
    let text =
        summary_json(summary, prepare_s, representative_run).map_err(|e| ReportError::Encode {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    write_atomically(path, text.as_bytes())
}

/// Writes `replay.czml` ([`replay_czml`]) and `replay.kml` ([`replay_kml`]) of `replay` into
/// folder `dir`.
pub fn write_replay(dir: &Path, prepared: &Prepared, replay: &Replay) -> Result<(), ReportError> {
    let czml = replay_czml(prepared, replay)?;
    write_atomically(&dir.join("replay.czml"), czml.to_string().as_bytes())?;
    let kml = replay_kml(prepared, replay)?;
    write_atomically(&dir.join("replay.kml"), kml.as_bytes())
}

/// Writes `runs.parquet`: one row per run; `layers` names the interceptor types in the order
/// of [`RunRow::shots`].
pub fn write_runs_parquet(
    path: &Path,
    rows: &[RunRow],
    layers: &[String],
) -> Result<(), ReportError> {
    let u32s = |f: &dyn Fn(&RunRow) -> u32| {
        Arc::new(UInt32Array::from_iter_values(rows.iter().map(f))) as ArrayRef
    };
    let mut fields = vec![
        Field::new("run", DataType::UInt64, false),
        Field::new("seed", DataType::UInt64, false),
        Field::new("leakers", DataType::UInt32, false),
        Field::new("intercepted", DataType::UInt32, false),
        Field::new("ignored_open_area", DataType::UInt32, false),
        Field::new("failed_in_flight", DataType::UInt32, false),
    ];
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.run))),
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.seed))),
        u32s(&|r| r.leakers),
        u32s(&|r| r.intercepted),
        u32s(&|r| r.ignored_open_area),
        u32s(&|r| r.failed_in_flight),
    ];
    for (l, name) in layers.iter().enumerate() {
        fields.push(Field::new(format!("shots_{name}"), DataType::UInt32, false));
        columns.push(u32s(&|r| r.shots[l]));
    }
    fields.push(Field::new("defense_cost_usd", DataType::Float64, false));
    fields.push(Field::new("offense_cost_usd", DataType::Float64, false));
    columns.push(Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|r| r.defense_cost_usd),
    )));
    columns.push(Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|r| r.offense_cost_usd),
    )));
    write_parquet(path, fields, columns)
}

/// Writes one record batch of `columns` under `fields` as a Parquet file, atomically.
fn write_parquet(
    path: &Path,
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
) -> Result<(), ReportError> {
    let encode = |message: String| ReportError::Encode {
        path: path.to_path_buf(),
        message,
    };
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| encode(e.to_string()))?;
    let mut writer = ArrowWriter::try_new(Vec::new(), batch.schema(), None)
        .map_err(|e| encode(e.to_string()))?;
    writer.write(&batch).map_err(|e| encode(e.to_string()))?;
    let bytes = writer.into_inner().map_err(|e| encode(e.to_string()))?;
    write_atomically(path, &bytes)
}
