//! Sensitivity analysis for Python: the designs and estimators of `skyshield_analysis`, on
//! points of the unit cube given and returned as lists.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use skyshield_analysis::AnalysisError;
use skyshield_analysis::morris::{MorrisOptions, morris_analyse, morris_sample};
use skyshield_analysis::sobol::{SobolOptions, sobol_analyse, sobol_sample};

fn value_error(e: AnalysisError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// The points of `trajectories` Morris trajectories on `levels` levels in the unit cube of
/// `inputs` dimensions.
#[pyfunction]
#[pyo3(signature = (inputs, trajectories=10, levels=4, seed=1))]
pub(crate) fn morris_sample_unit(
    inputs: usize,
    trajectories: usize,
    levels: usize,
    seed: u64,
) -> PyResult<Vec<Vec<f64>>> {
    let options = MorrisOptions {
        trajectories,
        levels,
        seed,
    };
    morris_sample(inputs, &options).map_err(value_error)
}

/// `mu`, `mu_star`, `sigma` and `mu_star_conf` per input from Morris trajectories and the
/// model's outputs at their points.
#[pyfunction]
#[pyo3(signature = (points, outputs, levels=4, seed=1))]
pub(crate) fn morris_analyse_unit<'py>(
    py: Python<'py>,
    points: Vec<Vec<f64>>,
    outputs: Vec<f64>,
    levels: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let inputs = points.first().map_or(0, Vec::len);
    let options = MorrisOptions {
        trajectories: points.len() / (inputs + 1),
        levels,
        seed,
    };
    let indices = morris_analyse(&points, &outputs, &options).map_err(value_error)?;
    let out = PyDict::new(py);
    let column = |f: fn(&skyshield_analysis::morris::MorrisIndex) -> f64| {
        indices.iter().map(f).collect::<Vec<f64>>()
    };
    out.set_item("mu", column(|m| m.mu))?;
    out.set_item("mu_star", column(|m| m.mu_star))?;
    out.set_item("sigma", column(|m| m.sigma))?;
    out.set_item("mu_star_conf", column(|m| m.mu_star_conf))?;
    Ok(out)
}

/// The Saltelli design of `base_samples` base points in the unit cube of `inputs` dimensions.
#[pyfunction]
#[pyo3(signature = (inputs, base_samples=64, seed=1))]
pub(crate) fn sobol_sample_unit(
    inputs: usize,
    base_samples: usize,
    seed: u64,
) -> PyResult<Vec<Vec<f64>>> {
    let options = SobolOptions {
        base_samples,
        seed,
        ..SobolOptions::default()
    };
    sobol_sample(inputs, &options).map_err(value_error)
}

/// `S1`, `S1_ci`, `ST` and `ST_ci` per input from the outputs of the model at the points of the
/// Saltelli design.
#[pyfunction]
#[pyo3(signature = (inputs, outputs, resamples=500, confidence=0.95, seed=1))]
pub(crate) fn sobol_analyse_unit<'py>(
    py: Python<'py>,
    inputs: usize,
    outputs: Vec<f64>,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let options = SobolOptions {
        base_samples: outputs.len() / (inputs + 2),
        resamples,
        confidence,
        seed,
    };
    let indices = py
        .detach(|| sobol_analyse(inputs, &outputs, &options))
        .map_err(value_error)?;
    let out = PyDict::new(py);
    out.set_item(
        "S1",
        indices.iter().map(|s| s.first.value).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "S1_ci",
        indices.iter().map(|s| s.first.ci).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "ST",
        indices.iter().map(|s| s.total.value).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "ST_ci",
        indices.iter().map(|s| s.total.ci).collect::<Vec<_>>(),
    )?;
    Ok(out)
}
