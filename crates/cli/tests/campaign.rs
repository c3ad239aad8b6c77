//! `skyshield campaign`: the library's twelve-day campaign writes its folder (summary.json
//! last, consistent with campaign.parquet, and the plots), and a scenario without a campaign
//! is refused with exit code 2 and nothing written.

use std::path::Path;

mod common;

use common::{repo, scratch, skyshield};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

#[test]
fn the_twelve_day_campaign_writes_its_folder() {
    let dir = scratch("campaign");
    let scenario = repo("scenarios/jun-2025-12-day.yaml");
    let run = skyshield(&[
        "campaign",
        scenario.to_str().expect("path"),
        "--runs",
        "40",
        "--out",
        dir.to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let written: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("summary.json")).expect("summary.json"),
    )
    .expect("JSON");
    assert_eq!(printed, written);
    assert_eq!(written["days"], 12);
    assert_eq!(written["by_day"].as_array().expect("days").len(), 12);
    let file = std::fs::File::open(dir.join("campaign.parquet")).expect("campaign.parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("Parquet")
        .build()
        .expect("reader");
    let rows: usize = reader.map(|b| b.expect("batch").num_rows()).sum();
    assert_eq!(rows, 40 * 12, "a row per run and day");
    for id in [
        "plot-campaign-stocks",
        "plot-campaign-leakers",
        "plot-campaign-exhaustion",
        "plot-campaign-cost",
    ] {
        for ext in ["svg", "png"] {
            let path = dir.join("plots").join(format!("{id}.{ext}"));
            assert!(path.is_file(), "{}", path.display());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_without_a_campaign_is_refused() {
    let dir = scratch("no-campaign");
    let scenario = repo("scenarios/apr-2024.yaml");
    let run = skyshield(&[
        "campaign",
        scenario.to_str().expect("path"),
        "--out",
        dir.to_str().expect("path"),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no `campaign` section"),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&dir).exists(), "nothing written");
}
