//! `skyshield report DIR`: the HTML report and the plots of a run's output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use skyshield_report::{ReportError, RunFolder, write_report};

use crate::InputError;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output folder of `skyshield run --out DIR` (summary.json, events.parquet, scenario.yaml,
    /// and zones.geojson when the scenario has warning zones).
    dir: PathBuf,
    /// Where to write the page (default: DIR/report.html). The plots go to DIR/plots/.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let written = write_report(
        &RunFolder::new(&args.dir),
        &args.dir.display().to_string(),
        args.out.as_deref(),
    )
    .map_err(|e| match e {
        ReportError::Input(e) => InputError(e.to_string()).into(),
        e => anyhow::Error::from(e),
    })?;
    eprintln!(
        "wrote {} and {} plots in {} ({} sampled events)",
        written.page.display(),
        written.plots,
        written.plot_dir.display(),
        written.events
    );
    Ok(ExitCode::SUCCESS)
}
