//! `skyshield report DIR`: the HTML report and the plots of a run's output folder.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use skyshield_report::html::{self, Page, ScenarioInfo};
use skyshield_report::{input, plots, write_atomically};

use crate::InputError;
use crate::run::DEFAULT_SAMPLE_RUNS;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output folder of `skyshield run --out DIR` (summary.json, events.parquet, scenario.yaml,
    /// and zones.geojson when the scenario has warning zones).
    dir: PathBuf,
    /// Where to write the page (default: DIR/report.html). The plots go to DIR/plots/.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Reads `scenario.yaml` when the folder has one: its name, description and sources. Only the
/// file itself is checked, not the files it refers to, which need not be in the folder.
fn scenario_info(path: &Path, summary_name: &str) -> Result<Option<ScenarioInfo>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(
                InputError(format!("{}: cannot read the file: {e}", path.display())).into(),
            );
        }
    };
    let file = skyshield_scenario::parse_str(&text, path).map_err(|diagnostics| {
        let mut stderr = std::io::stderr().lock();
        for d in diagnostics.iter() {
            let _ = writeln!(stderr, "{d}");
        }
        InputError(format!(
            "{}: {} problem(s); no report was written",
            path.display(),
            diagnostics.iter().count()
        ))
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

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    let input_error = |e: input::InputError| InputError(e.to_string());
    let summary = input::read_summary(&dir.join("summary.json")).map_err(input_error)?;
    let events = input::read_events(&dir.join("events.parquet")).map_err(input_error)?;
    let scenario = scenario_info(&dir.join("scenario.yaml"), &summary.scenario)?;
    // Without a copy of the scenario, it is taken to have geometry.
    let geometry = scenario.as_ref().is_none_or(|sc| sc.geometry);
    let plots = plots::all(&summary, &events, geometry)?;
    let warning_plots = match &summary.warning {
        Some(w) => {
            let zones = input::read_zones(&dir.join("zones.geojson"), w).map_err(input_error)?;
            plots::warning(w, &zones, &events)?
        }
        None => Vec::new(),
    };

    // The sampled runs are runs 0..K of the batch, each with a row per threat.
    let sampled = events.iter().map(|e| e.run).collect::<BTreeSet<_>>().len() as u64;

    let plot_dir = dir.join("plots");
    std::fs::create_dir_all(&plot_dir)
        .with_context(|| format!("cannot create {}", plot_dir.display()))?;
    for plot in plots.iter().chain(&warning_plots) {
        write_atomically(
            &plot_dir.join(format!("{}.svg", plot.id)),
            plot.svg.as_bytes(),
        )?;
        write_atomically(&plot_dir.join(format!("{}.png", plot.id)), &plot.png)?;
    }
    let page = html::render(&Page {
        summary: &summary,
        scenario: scenario.as_ref(),
        plots: &plots,
        warning_plots: &warning_plots,
        dir: &dir.display().to_string(),
        version: env!("CARGO_PKG_VERSION"),
        sample_runs: (sampled != DEFAULT_SAMPLE_RUNS.min(summary.runs)).then_some(sampled),
    });
    let out = args.out.clone().unwrap_or_else(|| dir.join("report.html"));
    write_atomically(&out, page.as_bytes())?;
    eprintln!(
        "wrote {} and {} plots in {} ({} sampled events)",
        out.display(),
        plots.len() + warning_plots.len(),
        plot_dir.display(),
        events.len()
    );
    Ok(ExitCode::SUCCESS)
}
