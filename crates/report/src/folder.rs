//! A run's output folder, written and read by one type: [`RunFolder`].
//!
//! Each file is written whole or not at all ([`crate::write_atomically`]); `summary.json` is
//! written last, so a folder with a `summary.json` is complete.
//!
//! A batch's folder ([`RunFolder::write`]) is written whole into a staging folder beside it,
//! `.NAME.partial`, and swapped in at the end: a failure (a full disk, the output limit, the
//! process killed) leaves the previous contents of the folder as they were, and at most the
//! staging folder, which the next write to the same folder removes. The folder it replaces must
//! be empty or one that skyshield wrote (with its [`MANIFEST`]): anything else is refused.

use std::fs;
use std::path::{Path, PathBuf};

use skyshield_engine::Prepared;
use skyshield_mc::{Batch, BatchOptions, Summary, WarningSummary};
use skyshield_scenario::{Limit, Limits, Scenario};

use crate::input::{self, Event, InputError, ZoneShape};
use crate::tables::{events_table, runs_table};
use crate::zones::{alerts_geojson, zones_geojson};
use crate::{
    Replay, ReportError, event_lines, impacts_geojson, replay_czml, replay_kml, write_atomically,
    write_parquet,
};

/// The summary of the batch ([`Summary`], with `version` and `representative_run`).
pub const SUMMARY_JSON: &str = "summary.json";
/// One row per run ([`crate::tables::runs_table`]).
pub const RUNS_PARQUET: &str = "runs.parquet";
/// One row per threat per kept run ([`crate::tables::events_table`]).
pub const EVENTS_PARQUET: &str = "events.parquet";
/// Impacts, intercepts and debris of the kept runs ([`crate::impacts_geojson`]).
pub const IMPACTS_GEOJSON: &str = "impacts.geojson";
/// One run for CesiumJS and Google Earth ([`crate::replay_czml`], [`crate::replay_kml`]).
pub const REPLAY_CZML: &str = "replay.czml";
pub const REPLAY_KML: &str = "replay.kml";
/// The warning zones with their statistics over the batch ([`crate::zones::zones_geojson`]).
pub const ZONES_GEOJSON: &str = "zones.geojson";
/// The zones alerted in one replayed run ([`crate::zones::alerts_geojson`]).
pub const ALERTS_GEOJSON: &str = "alerts.geojson";
/// Every event of one replayed run ([`crate::event_lines`]).
pub const EVENTS_JSONL: &str = "events.jsonl";
/// A copy of the scenario's text.
pub const SCENARIO_YAML: &str = "scenario.yaml";
/// The report page and its plots ([`crate::write_report`]).
pub const REPORT_HTML: &str = "report.html";
pub const PLOTS_DIR: &str = "plots";

/// Marks a folder that skyshield wrote, which a later run may replace: the names of its files,
/// one a line.
pub const MANIFEST: &str = ".skyshield-run";

/// Runs kept in full for the per-threat outputs of a run folder, unless the caller says.
pub const DEFAULT_SAMPLE_RUNS: u64 = 100;

/// What a batch leaves for its folder.
#[derive(Debug, Clone, Copy)]
pub struct RunOutputs<'a> {
    pub scenario: &'a Scenario,
    /// The scenario's text, copied to `scenario.yaml`.
    pub text: &'a str,
    pub prepared: &'a Prepared,
    pub opts: &'a BatchOptions,
    pub batch: &'a Batch,
}

/// The output folder of a run (`run --out DIR`) or of a replay (`replay --out DIR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFolder {
    dir: PathBuf,
}

impl RunFolder {
    pub fn new(dir: impl Into<PathBuf>) -> RunFolder {
        RunFolder { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of file `name` in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn create(&self) -> Result<(), ReportError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| ReportError::CreateDir {
            path: self.dir.clone(),
            source,
        })
    }

    fn write_text(&self, name: &str, text: &str) -> Result<(), ReportError> {
        write_atomically(&self.path(name), text.as_bytes())
    }

    fn encode<'a>(
        &'a self,
        name: &'a str,
    ) -> impl FnOnce(arrow_schema::ArrowError) -> ReportError + 'a {
        move |e| ReportError::Encode {
            path: self.path(name),
            message: e.to_string(),
        }
    }

    /// Writes the outputs of a batch, `summary.json` last, replacing the folder as a whole (see
    /// the module doc) and refusing to write more than `limits.output_bytes`; gives the names
    /// of the files written. An abstract scenario has no geometry: no GeoJSON, CZML or KML. The
    /// replay files show the batch's representative run.
    pub fn write(
        &self,
        out: &RunOutputs,
        limits: &Limits,
    ) -> Result<Vec<&'static str>, ReportError> {
        self.check_replaceable()?;
        let staging = RunFolder::new(self.sibling("partial")?);
        remove_folder(&staging.dir)?;
        let written = staging
            .write_files(out, limits.output_bytes)
            .and_then(|files| self.swap_in(&staging.dir).map(|()| files));
        if written.is_err() {
            let _ = fs::remove_dir_all(&staging.dir);
        }
        written
    }

    /// Refuses a folder that is not empty and has no [`MANIFEST`].
    fn check_replaceable(&self) -> Result<(), ReportError> {
        let not_ours = || ReportError::NotOurs {
            path: self.dir.clone(),
        };
        match fs::metadata(&self.dir) {
            // Absent, or under something that is not a folder: creating the staging folder
            // says why.
            Err(_) => Ok(()),
            Ok(meta) if !meta.is_dir() => Err(not_ours()),
            Ok(_) => {
                let mut entries = fs::read_dir(&self.dir).map_err(|source| ReportError::Io {
                    path: self.dir.clone(),
                    source,
                })?;
                if entries.next().is_some() && !self.path(MANIFEST).is_file() {
                    return Err(not_ours());
                }
                Ok(())
            }
        }
    }

    /// `.NAME.TAG` beside the folder.
    fn sibling(&self, tag: &str) -> Result<PathBuf, ReportError> {
        let dir = std::path::absolute(&self.dir).map_err(|source| ReportError::Io {
            path: self.dir.clone(),
            source,
        })?;
        match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) => {
                Ok(parent.join(format!(".{}.{tag}", name.to_string_lossy())))
            }
            _ => Err(ReportError::NotOurs {
                path: self.dir.clone(),
            }),
        }
    }

    /// Puts the folder `staging` in the place of this one.
    fn swap_in(&self, staging: &Path) -> Result<(), ReportError> {
        let rename = |from: &Path, to: &Path| {
            fs::rename(from, to).map_err(|source| ReportError::Io {
                path: to.to_path_buf(),
                source,
            })
        };
        if !self.dir.exists() {
            return rename(staging, &self.dir);
        }
        let old = self.sibling("old")?;
        remove_folder(&old)?;
        rename(&self.dir, &old)?;
        if let Err(e) = rename(staging, &self.dir) {
            let _ = fs::rename(&old, &self.dir);
            return Err(e);
        }
        remove_folder(&old)
    }

    /// Refuses a folder holding more than `max_bytes`.
    fn check_size(&self, max_bytes: u64) -> Result<(), ReportError> {
        let io = |source| ReportError::Io {
            path: self.dir.clone(),
            source,
        };
        let mut bytes = 0u64;
        for entry in fs::read_dir(&self.dir).map_err(io)? {
            bytes += entry.and_then(|e| e.metadata()).map_err(io)?.len();
        }
        Limits {
            output_bytes: max_bytes,
            ..Limits::DEFAULT
        }
        .check(Limit::OutputBytes, bytes)
        .map_err(|over| ReportError::TooLarge {
            path: self.dir.clone(),
            over,
        })
    }

    fn write_files(
        &self,
        out: &RunOutputs,
        max_bytes: u64,
    ) -> Result<Vec<&'static str>, ReportError> {
        let RunOutputs {
            scenario,
            text,
            prepared,
            opts,
            batch,
        } = *out;
        self.create()?;
        let summary = &batch.summary;
        let layers: Vec<String> = summary.by_layer.keys().cloned().collect();
        let runs = runs_table(&batch.rows, &layers, &prepared.asset_ids)
            .map_err(self.encode(RUNS_PARQUET))?;
        write_parquet(&self.path(RUNS_PARQUET), &runs)?;
        self.check_size(max_bytes)?;
        let events = events_table(prepared, &batch.sample).map_err(self.encode(EVENTS_PARQUET))?;
        write_parquet(&self.path(EVENTS_PARQUET), &events)?;
        self.check_size(max_bytes)?;
        let mut files = vec![RUNS_PARQUET, EVENTS_PARQUET];
        if scenario.as_layered().is_some() {
            self.write_text(
                IMPACTS_GEOJSON,
                &impacts_geojson(prepared, &batch.sample).to_string(),
            )?;
            files.push(IMPACTS_GEOJSON);
            self.check_size(max_bytes)?;
            if let Some(k) = summary.representative_run {
                let replay = Replay::play(prepared, opts.seed, k, opts.sample_parameters);
                self.write_replay_files(prepared, &replay)?;
                files.extend([REPLAY_CZML, REPLAY_KML]);
                self.check_size(max_bytes)?;
            }
            if let Some(zones) = summary
                .warning
                .as_ref()
                .and_then(|w| zones_geojson(prepared, w))
            {
                self.write_text(ZONES_GEOJSON, &zones)?;
                files.push(ZONES_GEOJSON);
            }
        }
        self.write_text(SCENARIO_YAML, text)?;
        let json = summary_json(summary).map_err(|e| ReportError::Encode {
            path: self.path(SUMMARY_JSON),
            message: e.to_string(),
        })?;
        files.extend([SCENARIO_YAML, SUMMARY_JSON]);
        let manifest: String = files.iter().map(|f| format!("{f}\n")).collect();
        self.write_text(MANIFEST, &manifest)?;
        self.write_text(SUMMARY_JSON, &json)?;
        self.check_size(max_bytes)?;
        Ok(files)
    }

    fn write_replay_files(&self, prepared: &Prepared, replay: &Replay) -> Result<(), ReportError> {
        let czml = replay_czml(prepared, replay)?;
        self.write_text(REPLAY_CZML, &czml.to_string())?;
        self.write_text(REPLAY_KML, &replay_kml(prepared, replay)?)
    }

    /// Writes the files of one replayed run: `events.jsonl`, and with geometry
    /// `impacts.geojson`, `replay.czml`, `replay.kml` and, when zones were alerted,
    /// `alerts.geojson`; gives the names of the files written.
    pub fn write_replay(
        &self,
        prepared: &Prepared,
        replay: &Replay,
        geometry: bool,
    ) -> Result<Vec<&'static str>, ReportError> {
        self.create()?;
        let mut files = vec![EVENTS_JSONL];
        if geometry {
            let outcome = std::slice::from_ref(&replay.outcome);
            self.write_text(
                IMPACTS_GEOJSON,
                &impacts_geojson(prepared, outcome).to_string(),
            )?;
            self.write_replay_files(prepared, replay)?;
            files.extend([IMPACTS_GEOJSON, REPLAY_CZML, REPLAY_KML]);
            if let Some(alerts) = alerts_geojson(prepared, &replay.outcome) {
                self.write_text(ALERTS_GEOJSON, &alerts)?;
                files.push(ALERTS_GEOJSON);
            }
        }
        self.write_text(EVENTS_JSONL, &event_lines(prepared, replay))?;
        Ok(files)
    }

    /// Reads `summary.json`.
    pub fn read_summary(&self) -> Result<Summary, InputError> {
        input::read_summary(&self.path(SUMMARY_JSON))
    }

    /// Reads `zones.geojson`, whose zones are those of `warning`.
    pub fn read_zones(&self, warning: &WarningSummary) -> Result<Vec<ZoneShape>, InputError> {
        input::read_zones(&self.path(ZONES_GEOJSON), warning)
    }

    /// Reads `events.parquet`.
    pub fn read_events(&self) -> Result<Vec<Event>, InputError> {
        input::read_events(&self.path(EVENTS_PARQUET))
    }

    /// Reads `scenario.yaml`; `None` when the folder has none.
    pub fn read_scenario_text(&self) -> Result<Option<String>, InputError> {
        let path = self.path(SCENARIO_YAML);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(InputError::Read { path, source }),
        }
    }
}

/// Removes a folder of skyshield's own (a staging or old folder) if there is one.
fn remove_folder(dir: &Path) -> Result<(), ReportError> {
    match fs::remove_dir_all(dir) {
        // Not there, or under something that is not a folder.
        Err(e)
            if !matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Err(ReportError::Io {
                path: dir.to_path_buf(),
                source: e,
            })
        }
        _ => Ok(()),
    }
}

/// The summary as pretty JSON: the document of `summary.json` and of `run --format json`.
pub fn summary_json(summary: &Summary) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(summary)
}
