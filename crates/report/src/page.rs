//! The report of a run folder: read its files, draw the plots, render `report.html`, write the
//! page and `plots/` ([`write_report`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::folder::{DEFAULT_SAMPLE_RUNS, PLOTS_DIR, REPORT_HTML, RunFolder};
use crate::html::{self, Page, ScenarioInfo};
use crate::input::InputError;
use crate::{ReportError, plots, write_atomically};

/// What [`write_report`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportWritten {
    /// The page.
    pub page: PathBuf,
    /// The folder of the plots, and how many were written (each as SVG and PNG).
    pub plot_dir: PathBuf,
    pub plots: usize,
    /// Rows of `events.parquet` read.
    pub events: usize,
}

/// What the report shows of `scenario.yaml` when the folder has one: its name, description
/// and sources. Only the file itself is checked, not the files it refers to, which need not
/// be in the folder.
fn scenario_info(
    folder: &RunFolder,
    summary_name: &str,
) -> Result<Option<ScenarioInfo>, InputError> {
    let Some(text) = folder.read_scenario_text()? else {
        return Ok(None);
    };
    let path = folder.path(crate::folder::SCENARIO_YAML);
    let file = skyshield_scenario::parse_str(&text, &path).map_err(|diagnostics| {
        InputError::Scenario {
            path: path.clone(),
            diagnostics: diagnostics.to_string(),
        }
    })?;
    let name = file
        .name
        .map_or_else(|| summary_name.to_string(), |n| n.value);
    let geometry = !matches!(
        file.kind.map(|k| k.value),
        Some(skyshield_scenario::file::ScenarioKindName::Abstract)
    );
    Ok(Some(ScenarioInfo {
        name,
        description: file.description.map(|d| d.value),
        sources: file
            .sources
            .map(|s| s.value.into_iter().map(|s| s.value).collect())
            .unwrap_or_default(),
        geometry,
        text,
    }))
}

/// Writes the report of `folder` (the output folder of a run): `report.html` (or `out`) and
/// each plot as `plots/<id>.svg` and `.png`. `dir` is the folder as the user named it, for the
/// page's commands that reproduce it.
pub fn write_report(
    folder: &RunFolder,
    dir: &str,
    out: Option<&Path>,
) -> Result<ReportWritten, ReportError> {
    let summary = folder.read_summary()?;
    let events = folder.read_events()?;
    let scenario = scenario_info(folder, &summary.scenario)?;
    // Without a copy of the scenario, it is taken to have geometry.
    let geometry = scenario.as_ref().is_none_or(|sc| sc.geometry);
    // The scenario, when its copy resolves, for its elements on the map and its start (the
    // files it refers to need not be in the folder; without them the map shows the basemap and
    // the points only).
    let resolved = scenario.as_ref().and_then(|sc| {
        skyshield_scenario::from_str(&sc.text, &folder.path(crate::folder::SCENARIO_YAML)).ok()
    });
    let plots = plots::all(&summary, &events, geometry, resolved.as_ref())?;
    let warning_plots = match &summary.warning {
        Some(w) => plots::warning(w, &folder.read_zones(w)?, &events)?,
        None => Vec::new(),
    };
    // The sampled runs are runs 0..K of the batch, each with a row per threat.
    let sampled = events.iter().map(|e| e.run).collect::<BTreeSet<_>>().len() as u64;
    let plot_dir = folder.path(PLOTS_DIR);
    std::fs::create_dir_all(&plot_dir).map_err(|source| ReportError::CreateDir {
        path: plot_dir.clone(),
        source,
    })?;
    for plot in plots.iter().chain(&warning_plots) {
        write_atomically(
            &plot_dir.join(format!("{}.svg", plot.id)),
            plot.svg.as_bytes(),
        )?;
        write_atomically(&plot_dir.join(format!("{}.png", plot.id)), &plot.png)?;
    }
    let sensitivity =
        crate::sensitivity::read(folder.dir())?.map(|s| crate::sensitivity::section(&s));
    let html = html::render(&Page {
        summary: &summary,
        scenario: scenario.as_ref(),
        plots: &plots,
        warning_plots: &warning_plots,
        dir,
        version: env!("CARGO_PKG_VERSION"),
        sample_runs: (sampled != DEFAULT_SAMPLE_RUNS.min(summary.runs)).then_some(sampled),
        sensitivity: sensitivity.as_deref(),
    });
    let page = out.map_or_else(|| folder.path(REPORT_HTML), Path::to_path_buf);
    write_atomically(&page, html.as_bytes())?;
    Ok(ReportWritten {
        page,
        plot_dir,
        plots: plots.len() + warning_plots.len(),
        events: events.len(),
    })
}
