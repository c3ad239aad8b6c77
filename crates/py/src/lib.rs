//! The native module of the Python package `skyshield` (`skyshield._native`).
//!
//! It only translates: a scenario is loaded by `skyshield_scenario` (with its located
//! diagnostics), prepared by [`skyshield_engine::prepare`], run by [`skyshield_mc::run_batch`],
//! and its outputs are those of `skyshield_report`: the Summary JSON of `skyshield run --format
//! json`, the per-run and per-threat tables of `runs.parquet` and `events.parquet` (handed over
//! as Arrow IPC streams, which pyarrow opens without tying this crate to pyarrow's version), the
//! lines of `events.jsonl` for a replayed run; a campaign is played by
//! `skyshield_campaign::run_campaign`, and gives the summary and the table of `skyshield
//! campaign`. The Python package (`python/skyshield`) wraps it
//! with the public API, its docstrings and its type stubs. The sensitivity designs and
//! estimators are those of `skyshield_analysis`, on points of the unit cube.
//!
//! A batch runs with the GIL released; every chunk of runs it finishes, it checks Python's
//! signals, and a Ctrl-C cancels it ([`CancelToken`]) and is raised as `KeyboardInterrupt`.

mod analysis;
mod breakpoint;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::RecordBatch;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use skyshield_campaign::{CampaignError, CampaignOptions, run_campaign};
use skyshield_engine::{Prepared, prepare};
use skyshield_mc::figures;
use skyshield_mc::{
    BatchError, BatchOptions, CancelToken, DEFAULT_PARAMETER_SETS, Execution, Overrides,
    Uncertainty, UncertaintyError, run_batch, run_uncertain,
};
use skyshield_report::campaign::{campaign_summary_json, campaign_table};
use skyshield_report::tables::{events_table, runs_table};
use skyshield_report::{Replay, event_lines, summary_json};
use skyshield_scenario::{
    Checked, Diagnostic, FolderResolver, Limit, Limits, MAX_FILE_BYTES, Pos, Source, catalog,
    check_scenario,
};

/// Most worker threads of one batch (as `skyshield run --threads`).
const MAX_THREADS: usize = 1024;

/// What is added to a scenario's name once values are set over its text.
const WITH_OVERRIDES: &str = " (with overrides)";

/// A validated scenario with its text; prepared once, on its first run.
#[pyclass(frozen, module = "skyshield._native")]
struct Scenario {
    text: String,
    file: PathBuf,
    scenario: skyshield_scenario::Scenario,
    /// Its lints (`skyshield_scenario::lint`).
    warnings: Vec<Diagnostic>,
    prepared: OnceLock<Arc<Prepared>>,
}

/// A diagnostic as Python sees it: `(file, line, column, message)`, line and column `None` for
/// a problem of the whole scenario.
type DiagnosticTuple = (String, Option<u32>, Option<u32>, String);

fn diagnostic_tuples(diagnostics: &[Diagnostic]) -> Vec<DiagnosticTuple> {
    diagnostics
        .iter()
        .map(|d| {
            let located = d.line > 0;
            (
                d.file.display().to_string(),
                located.then_some(d.line),
                located.then_some(d.column),
                d.message.clone(),
            )
        })
        .collect()
}

/// `skyshield.ScenarioError` for `diagnostics` (the first one in its fields, all of them in
/// its `diagnostics`).
fn scenario_error(py: Python<'_>, diagnostics: &[Diagnostic]) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let class = py.import("skyshield._errors")?.getattr("ScenarioError")?;
        let all = diagnostic_tuples(diagnostics);
        let first = all.first().cloned().unwrap_or_default();
        let err = class.call1((first.0, first.1, first.2, first.3, all))?;
        Ok(PyErr::from_value(err))
    };
    make().unwrap_or_else(|e| e)
}

/// A problem of the whole scenario (found after validation), not located in its text.
fn unlocated(py: Python<'_>, file: &Path, message: String) -> PyErr {
    let d = Diagnostic::new(file, Pos { line: 0, column: 0 }, message);
    scenario_error(py, &[d])
}

impl Scenario {
    fn new(text: String, file: PathBuf, checked: Checked) -> Scenario {
        Scenario {
            text,
            file,
            scenario: checked.scenario,
            warnings: checked.warnings.0,
            prepared: OnceLock::new(),
        }
    }

    /// The prepared scenario, prepared on first use (with the GIL released).
    fn prepared(&self, py: Python<'_>) -> PyResult<Arc<Prepared>> {
        if let Some(p) = self.prepared.get() {
            return Ok(p.clone());
        }
        let prepared = py
            .detach(|| prepare(&self.scenario))
            .map_err(|e| unlocated(py, &self.file, e.to_string()))?;
        Ok(self.prepared.get_or_init(|| Arc::new(prepared)).clone())
    }
}

#[pymethods]
impl Scenario {
    /// Loads and validates the scenario file at `path`.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Scenario> {
        let (checked, text) = skyshield_scenario::check_keeping_text(&path, &Limits::DEFAULT)
            .map_err(|e| scenario_error(py, &e.diagnostics().0))?;
        Ok(Scenario::new(text, path, checked))
    }

    /// Validates scenario `text`; `name` names it in diagnostics, and the files it names are
    /// read from the folder of `name`.
    #[staticmethod]
    fn from_text(py: Python<'_>, text: &str, name: PathBuf) -> PyResult<Scenario> {
        if text.len() as u64 > MAX_FILE_BYTES {
            let message = format!(
                "the text is {} bytes; a scenario is at most {MAX_FILE_BYTES} bytes",
                text.len()
            );
            return Err(scenario_error(
                py,
                &[Diagnostic::new(&name, Pos::START, message)],
            ));
        }
        let checked = check_scenario(
            Source::Text { text, name: &name },
            &FolderResolver::for_scenario(&name),
            catalog(),
            &Limits::DEFAULT,
        )
        .map_err(|e| scenario_error(py, &e.diagnostics().0))?;
        Ok(Scenario::new(text.to_owned(), name, checked))
    }

    /// The scenario with each `[path, value]` of `overrides` (a JSON list) set over its text,
    /// validated again.
    fn with_overrides(&self, py: Python<'_>, overrides: &str) -> PyResult<Scenario> {
        let pairs: Vec<(String, serde_json::Value)> = serde_json::from_str(overrides)
            .map_err(|e| PyValueError::new_err(format!("overrides: {e}")))?;
        let text = skyshield_scenario::with_overrides(&self.text, &self.file, &pairs)
            .map_err(|d| scenario_error(py, &d.0))?;
        let mut name = self.file.clone().into_os_string();
        if !name.to_string_lossy().ends_with(WITH_OVERRIDES) {
            name.push(WITH_OVERRIDES);
        }
        Scenario::from_text(py, &text, PathBuf::from(name))
    }

    /// The scenario's text (YAML).
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// The file that names the scenario in diagnostics.
    #[getter]
    fn file(&self) -> String {
        self.file.display().to_string()
    }

    /// Its lints: valid but implausible input, as `(file, line, column, message)`.
    #[getter]
    fn warnings(&self) -> Vec<DiagnosticTuple> {
        diagnostic_tuples(&self.warnings)
    }

    /// The scenario's `name`.
    #[getter]
    fn name(&self) -> &str {
        &self.scenario.name
    }

    /// The scenario's own replications.
    #[getter]
    fn runs(&self) -> u64 {
        self.scenario.runs
    }

    /// The scenario's own master seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.scenario.seed
    }

    /// Rebuilt from its text and name (for pickling, and so for Ray's object store).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        let from_text = py
            .import("skyshield._native")?
            .getattr("Scenario")?
            .getattr("from_text")?;
        Ok((from_text, (self.text.clone(), self.file())))
    }
}

/// The outputs of a batch.
#[pyclass(frozen, module = "skyshield._native")]
struct RunResult {
    summary_json: String,
    runs_ipc: Vec<u8>,
    threats_ipc: Vec<u8>,
    prepared: Arc<Prepared>,
    opts: BatchOptions,
}

#[pymethods]
impl RunResult {
    /// The Summary, as `skyshield run --format json` prints it.
    #[getter]
    fn summary_json(&self) -> &str {
        &self.summary_json
    }

    /// One row per run (the columns of `runs.parquet`), as an Arrow IPC stream.
    #[getter]
    fn runs_ipc<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.runs_ipc)
    }

    /// One row per threat per kept run (the columns of `events.parquet`), as an Arrow IPC
    /// stream.
    #[getter]
    fn threats_ipc<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.threats_ipc)
    }

    /// The lines of `events.jsonl` for run `run` of the batch, played again alone.
    fn replay_lines(&self, py: Python<'_>, run: u64) -> PyResult<String> {
        if run >= self.opts.runs {
            return Err(PyValueError::new_err(format!(
                "run {run} is not in the batch: its runs are 0 to {}",
                self.opts.runs - 1
            )));
        }
        let prepared = &self.prepared;
        let (seed, sample) = (self.opts.seed, self.opts.sample_parameters);
        Ok(py.detach(|| event_lines(prepared, &Replay::play(prepared, seed, run, sample))))
    }
}

/// Refuses 0 runs, runs and sample runs over their [`Limits::DEFAULT`], and threads out of 1
/// to [`MAX_THREADS`], as `skyshield run` does.
fn check_sizes(
    runs: Option<u64>,
    sample_runs: Option<u64>,
    threads: Option<usize>,
) -> PyResult<()> {
    if runs == Some(0) {
        return Err(PyValueError::new_err("runs must be at least 1"));
    }
    let limits = Limits::DEFAULT;
    for (name, limit, value) in [
        ("runs", Limit::Runs, runs),
        ("sample_runs", Limit::SampleRuns, sample_runs),
    ] {
        if let Some(value) = value {
            limits
                .check(limit, value)
                .map_err(|over| PyValueError::new_err(format!("{name} asks for {over}")))?;
        }
    }
    if threads.is_some_and(|t| t == 0 || t > MAX_THREADS) {
        return Err(PyValueError::new_err(format!(
            "threads must be 1 to {MAX_THREADS}"
        )));
    }
    Ok(())
}

/// Plays `work` with the GIL released. Its progress observer checks Python's signals each time
/// it is called (after each chunk of runs); a Ctrl-C cancels the token it gets and is given
/// back beside the work's result.
fn interruptible<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&CancelToken, &mut dyn FnMut(u64, u64)) -> T + Send,
) -> (T, Option<PyErr>) {
    let cancel = CancelToken::new();
    let mut interrupt: Option<PyErr> = None;
    let mut check_signals = |_done: u64, _total: u64| {
        if interrupt.is_none()
            && let Err(e) = Python::attach(|py| py.check_signals())
        {
            interrupt = Some(e);
            cancel.cancel();
        }
    };
    let out = py.detach(|| work(&cancel, &mut check_signals));
    (out, interrupt)
}

/// `batch` as an Arrow IPC stream.
fn ipc(batch: &RecordBatch) -> PyResult<Vec<u8>> {
    let encode = || {
        let mut writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema())?;
        writer.write(batch)?;
        writer.finish()?;
        writer.into_inner()
    };
    encode().map_err(|e| PyRuntimeError::new_err(format!("cannot encode a table: {e}")))
}

/// Runs a batch of `scenario` (its own runs and seed unless given), keeping a row per run and
/// the outcomes of runs `0..sample_runs`.
#[pyfunction]
#[pyo3(signature = (scenario, runs=None, seed=None, threads=None, nominal=false, sample_runs=100, uncertainty=None, parameter_sets=DEFAULT_PARAMETER_SETS))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: &Scenario,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    nominal: bool,
    sample_runs: u64,
    uncertainty: Option<&str>,
    parameter_sets: u64,
) -> PyResult<RunResult> {
    check_sizes(runs, Some(sample_runs), threads)?;
    let mode = match uncertainty {
        Some(_) if nominal => {
            return Err(PyValueError::new_err(
                "give nominal or uncertainty, not both (nominal=True is uncertainty=\"chance\")",
            ));
        }
        Some(name) => Some(Uncertainty::from_name(name).ok_or_else(|| {
            PyValueError::new_err(format!(
                "uncertainty must be nominal, chance, parameters or both, not {name:?}"
            ))
        })?),
        None => nominal.then_some(Uncertainty::Chance),
    };
    if parameter_sets < 2 {
        return Err(PyValueError::new_err("parameter_sets must be at least 2"));
    }
    let prepared = scenario.prepared(py)?;
    let opts = BatchOptions::new(
        &prepared,
        Overrides {
            runs,
            seed,
            threads,
            nominal,
            keep_runs: true,
            sample_runs: Some(sample_runs),
        },
    );
    let source = &scenario.scenario;
    let (batch, interrupt) = interruptible(py, |cancel, mut progress| {
        let execution = Execution::default()
            .observe(&mut progress)
            .cancel_on(cancel);
        match mode {
            Some(mode) => run_uncertain(source, &prepared, mode, parameter_sets, &opts, execution),
            None => run_batch(&prepared, &opts, execution).map_err(UncertaintyError::from),
        }
    });
    let mut batch = match (batch, interrupt) {
        (Ok(batch), _) => batch,
        (Err(UncertaintyError::Batch(BatchError::Cancelled { .. })), Some(e)) => return Err(e),
        (Err(e @ UncertaintyError::Prepare { .. }), _) => {
            return Err(unlocated(py, &scenario.file, e.to_string()));
        }
        (Err(e), _) => return Err(PyRuntimeError::new_err(e.to_string())),
    };
    // The runs' rows are kept (`keep_runs`), so the reported figures are scored as by
    // `skyshield run`.
    figures::score_batch(source, &prepared, &mut batch);
    let layers: Vec<String> = batch.summary.by_layer.keys().cloned().collect();
    let encode = |r: Result<RecordBatch, _>| {
        r.map_err(|e| PyRuntimeError::new_err(format!("cannot build a table: {e}")))
            .and_then(|t| ipc(&t))
    };
    Ok(RunResult {
        summary_json: summary_json(&batch.summary)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?,
        runs_ipc: encode(runs_table(&batch.rows, &layers, &prepared.asset_ids))?,
        threats_ipc: encode(events_table(&prepared, &batch.sample))?,
        prepared,
        opts,
    })
}

/// The outputs of a campaign.
#[pyclass(frozen, module = "skyshield._native")]
struct CampaignRun {
    summary_json: String,
    days_ipc: Vec<u8>,
}

#[pymethods]
impl CampaignRun {
    /// The campaign's summary, as `skyshield campaign --format json` prints it.
    #[getter]
    fn summary_json(&self) -> &str {
        &self.summary_json
    }

    /// One row per run and day (the columns of `campaign.parquet`), as an Arrow IPC stream.
    #[getter]
    fn days_ipc<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.days_ipc)
    }
}

/// Plays the campaign of `scenario` day by day over its runs (its own runs and seed unless
/// given), as `skyshield campaign` does.
#[pyfunction]
#[pyo3(signature = (scenario, runs=None, seed=None, threads=None))]
fn campaign(
    py: Python<'_>,
    scenario: &Scenario,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<CampaignRun> {
    check_sizes(runs, None, threads)?;
    let prepared = scenario.prepared(py)?;
    let opts = CampaignOptions {
        runs: runs.unwrap_or(scenario.scenario.runs),
        seed: seed.unwrap_or(scenario.scenario.seed),
        threads: threads.unwrap_or(0),
    };
    let (played, interrupt) = interruptible(py, |cancel, progress| {
        run_campaign(&scenario.scenario, &prepared, &opts, cancel, progress)
    });
    let result = match (played, interrupt) {
        (Ok(result), _) => result,
        (Err(CampaignError::Batch(BatchError::Cancelled { .. })), Some(e)) => return Err(e),
        (Err(e @ CampaignError::NoCampaign), _) => {
            return Err(unlocated(py, &scenario.file, e.to_string()));
        }
        (Err(e @ CampaignError::TooLarge { .. }), _) => {
            return Err(PyValueError::new_err(e.to_string()));
        }
        (Err(e), _) => return Err(PyRuntimeError::new_err(e.to_string())),
    };
    let table = campaign_table(&result.rows, &result.summary)
        .map_err(|e| PyRuntimeError::new_err(format!("cannot build a table: {e}")))?;
    Ok(CampaignRun {
        summary_json: campaign_summary_json(&result.summary)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?,
        days_ipc: ipc(&table)?,
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scenario>()?;
    m.add_class::<RunResult>()?;
    m.add_class::<CampaignRun>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(campaign, m)?)?;
    m.add_function(wrap_pyfunction!(breakpoint::breakpoint_json, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::morris_sample_unit, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::morris_analyse_unit, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::sobol_sample_unit, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::sobol_analyse_unit, m)?)?;
    m.add("MAX_THREADS", MAX_THREADS)?;
    Ok(())
}
