//! Outputs of skyshield runs: the run folder, its files and the report.
//!
//! [`RunFolder`] writes and reads a run's output folder; every front end goes through it. Each
//! file is written atomically: under a temporary name in its folder, renamed when complete, so
//! an interrupted run never leaves a file that looks complete; `summary.json` comes last.
//!
//! - `summary.json`: the [`skyshield_mc::Summary`] of a batch (the contract of
//!   `skyshield run --format json`, [`summary_json`]).
//! - `runs.parquet`: one row per run ([`tables::runs_table`]): run index, seed, fates,
//!   interceptors fired per type (a column `shots_<type>` each), costs.
//! - `events.parquet`: one row per threat per sampled run ([`tables::events_table`]). Both
//!   tables are also handed over in memory as Arrow record batches, with the column names of
//!   [`tables::column`].
//! - `impacts.geojson`: impacts, intercepts and debris of the sampled runs as points
//!   ([`impacts_geojson`]).
//! - `replay.czml` (CesiumJS) and `replay.kml` (Google Earth): one run replayed alone
//!   ([`Replay`]), usually the representative run of the sample ([`replay_czml`],
//!   [`replay_kml`]), with the warning zones alerted in it; `events.jsonl`: every event of a
//!   replayed run ([`event_lines`]).
//! - `zones.geojson`: the warning zones with their alert and impact statistics, and
//!   `alerts.geojson`: the zones alerted in one run ([`zones`]).
//! - `report.html` and `plots/`: the report of a run's output folder ([`html`], [`plots`]), read
//!   back from `summary.json` and `events.parquet` ([`input`]).
//! - The JSON of one flight ([`trajectory`]).
//! - The map of a scenario for the web page ([`layout_geojson`]): assets, sensors, batteries,
//!   launch sites and the coastline around them.
//!
//! This crate owns the formats of the outputs; it must not depend on tokio or on a front end.

pub mod basemap;
pub mod campaign;
mod czml;
mod event_log;
mod events;
pub mod folder;
mod headline;
pub mod html;
pub mod input;
mod kml;
mod layout;
mod markup;
mod page;
pub mod plots;
mod replay;
pub mod sensitivity;
pub mod tables;
pub mod trajectory;

pub use czml::replay_czml;
pub use event_log::event_lines;
pub use events::impacts_geojson;
pub use folder::{RunFolder, RunOutputs, summary_json};
pub use kml::replay_kml;
pub use layout::layout_geojson;
pub use page::{ReportWritten, write_report};
pub use replay::{DEFAULT_EPOCH, Recording, Replay};

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;

pub mod zones;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The cause is the error's source.
    #[error("cannot write {}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// A folder could not be created; the cause is the error's source.
    #[error("cannot create {}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot encode {}: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    #[error("a time of the replay is out of the calendar's range: {message}")]
    Time { message: String },
    #[error("cannot draw {plot}: {message}")]
    Plot { plot: String, message: String },
    /// An output folder holds files that skyshield did not write.
    #[error(
        "{}: the folder is not empty and skyshield did not write it (it has no {}): refusing to replace it; give a new or empty folder",
        path.display(),
        folder::MANIFEST
    )]
    NotOurs { path: PathBuf },
    /// An output folder would be larger than its limit.
    #[error("{}: {over}", path.display())]
    TooLarge {
        path: PathBuf,
        over: skyshield_scenario::OverLimit,
    },
    /// An input file of a run folder could not be used.
    #[error(transparent)]
    Input(#[from] input::InputError),
}

/// `x` rounded to a multiple of `1 / per_unit` (times to the millisecond, angles to 1e-6° or
/// about 0.1 m, heights to 0.1 m): what the outputs write of a number.
pub(crate) fn round(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
}

/// The exchange ratio (defense cost over offense cost) as printed: two decimals, or `n/a` when
/// the offense costs nothing.
pub fn exchange_ratio_text(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}"))
}

/// Degrees per unit of a written angle: 1e-6°, about 0.1 m on the ground.
pub(crate) const PER_DEGREE: f64 = 1e6;

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

/// Writes `batch` as a Parquet file, atomically.
pub fn write_parquet(path: &Path, batch: &RecordBatch) -> Result<(), ReportError> {
    let encode = |message: String| ReportError::Encode {
        path: path.to_path_buf(),
        message,
    };
    let mut writer = ArrowWriter::try_new(Vec::new(), batch.schema(), None)
        .map_err(|e| encode(e.to_string()))?;
    writer.write(batch).map_err(|e| encode(e.to_string()))?;
    let bytes = writer.into_inner().map_err(|e| encode(e.to_string()))?;
    write_atomically(path, &bytes)
}
