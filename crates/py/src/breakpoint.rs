//! Break points for Python: [`skyshield_mc::breakpoint::search`] on a loaded scenario, its
//! answer as the JSON of `skyshield breakpoint --format json`.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use skyshield_mc::BatchError;
use skyshield_mc::breakpoint::{BreakPointError, Question, SearchOptions, search};
use skyshield_scenario::Limits;

use crate::{Scenario, check_sizes, interruptible, unlocated};

/// The break point of `scenario` for the question named by `question` (`exhaustion`,
/// `rounds`, `batteries`) about `id` (a layer, or a battery), as JSON.
#[pyfunction]
#[pyo3(signature = (scenario, question, id, group=None, asset=None, probability=None, runs=500, seed=None, threads=None, nominal=false, max_level=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn breakpoint_json(
    py: Python<'_>,
    scenario: &Scenario,
    question: &str,
    id: String,
    group: Option<String>,
    asset: Option<String>,
    probability: Option<f64>,
    runs: u64,
    seed: Option<u64>,
    threads: Option<usize>,
    nominal: bool,
    max_level: Option<u32>,
) -> PyResult<String> {
    check_sizes(Some(runs), None, threads)?;
    let question = match question {
        "exhaustion" => Question::Exhaustion { layer: id, group },
        "rounds" => Question::Rounds { battery: id, asset },
        "batteries" => Question::Batteries { battery: id, asset },
        other => {
            return Err(PyValueError::new_err(format!(
                "question must be exhaustion, rounds or batteries, not {other:?}"
            )));
        }
    };
    let opts = SearchOptions {
        probability,
        runs,
        seed: seed.unwrap_or(scenario.scenario.seed),
        threads: threads.unwrap_or(0),
        nominal,
        max_level,
        max_threats: Limits::DEFAULT.threats,
    };
    let source = &scenario.scenario;
    let (found, interrupt) = interruptible(py, |cancel, progress| {
        let mut levels = 0;
        search(source, &question, &opts, cancel, &mut |_| {
            levels += 1;
            progress(levels, 0);
        })
    });
    match (found, interrupt) {
        (Ok(found), _) => serde_json::to_string(&found)
            .map_err(|e| PyRuntimeError::new_err(format!("cannot encode the answer: {e}"))),
        (Err(BreakPointError::Batch(BatchError::Cancelled { .. })), Some(e)) => Err(e),
        (Err(BreakPointError::Question(m)), _) => Err(PyValueError::new_err(m)),
        (Err(BreakPointError::Prepare(e)), _) => Err(unlocated(py, &scenario.file, e.to_string())),
        (Err(e), _) => Err(PyRuntimeError::new_err(e.to_string())),
    }
}
