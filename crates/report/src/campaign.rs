//! The outputs of a campaign (`skyshield campaign --out DIR`): `campaign.parquet`, one row per
//! run and day, the plots, and `summary.json`, the per-day series; written by
//! [`write_campaign`].

use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use skyshield_campaign::{CampaignSummary, DayRow};

use crate::tables::column::snake_case;
use crate::{ReportError, write_atomically, write_parquet};

/// File names in a campaign's folder.
pub const CAMPAIGN_PARQUET: &str = "campaign.parquet";
pub const CAMPAIGN_SUMMARY: &str = "summary.json";

/// One row per run and day, in the order of `rows`: `run`, `day`, `leakers`,
/// `launcher_limited`, `stock_limited`, then per threat type `requested_<type>`,
/// `launched_<type>` and `stock_<type>` (null: unlimited), per launcher pool
/// `launchers_<pool>`, per asset `hits_<asset>`, per interceptor type `shots_<type>`,
/// `kills_<type>`, `delivered_<type>`, `lost_rounds_<type>`, `deployed_<type>` and
/// `depot_<type>`, per battery `state_<battery>` (`ready`, `relocating`, `maintenance` or
/// `lost`), and `defense_cost_usd`, `offense_cost_usd`.
pub fn campaign_table(
    rows: &[DayRow],
    summary: &CampaignSummary,
) -> Result<RecordBatch, ArrowError> {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    let mut u32s = |name: String, f: &dyn Fn(&DayRow) -> u32| {
        fields.push(Field::new(name, DataType::UInt32, false));
        columns.push(Arc::new(UInt32Array::from_iter_values(rows.iter().map(f))));
    };
    u32s("day".into(), &|r| r.day);
    u32s("leakers".into(), &|r| r.leakers);
    for (k, t) in summary.threat_types.iter().enumerate() {
        u32s(format!("requested_{}", snake_case(t)), &|r| r.requested[k]);
        u32s(format!("launched_{}", snake_case(t)), &|r| r.launched[k]);
    }
    for (k, pool) in summary.launcher_pools.iter().enumerate() {
        u32s(format!("launchers_{}", snake_case(pool)), &|r| {
            r.launchers[k]
        });
    }
    for (k, a) in summary.assets.iter().enumerate() {
        u32s(format!("hits_{}", snake_case(a)), &|r| r.hits[k]);
    }
    for (k, t) in summary.interceptor_types.iter().enumerate() {
        u32s(format!("shots_{}", snake_case(t)), &|r| r.shots[k]);
        u32s(format!("kills_{}", snake_case(t)), &|r| r.kills[k]);
        u32s(format!("delivered_{}", snake_case(t)), &|r| r.delivered[k]);
        u32s(format!("lost_rounds_{}", snake_case(t)), &|r| {
            r.lost_rounds[k]
        });
        u32s(format!("deployed_{}", snake_case(t)), &|r| r.deployed[k]);
        u32s(format!("depot_{}", snake_case(t)), &|r| r.depot[k]);
    }
    let mut all_fields = vec![Field::new("run", DataType::UInt64, false)];
    let mut all_columns: Vec<ArrayRef> = vec![Arc::new(UInt64Array::from_iter_values(
        rows.iter().map(|r| r.run),
    ))];
    all_fields.append(&mut fields);
    all_columns.append(&mut columns);
    for (name, f) in [
        (
            "launcher_limited",
            (|r: &DayRow| r.launcher_limited) as fn(&DayRow) -> bool,
        ),
        ("stock_limited", |r: &DayRow| r.stock_limited),
    ] {
        all_fields.push(Field::new(name, DataType::Boolean, false));
        all_columns.push(Arc::new(BooleanArray::from_iter(
            rows.iter().map(|r| Some(f(r))),
        )));
    }
    for (k, t) in summary.threat_types.iter().enumerate() {
        all_fields.push(Field::new(format!("stock_{t}"), DataType::UInt64, true));
        all_columns.push(Arc::new(UInt64Array::from_iter(
            rows.iter().map(|r| r.threat_stock[k]),
        )));
    }
    for (k, b) in summary.batteries.iter().enumerate() {
        all_fields.push(Field::new(
            format!("state_{}", snake_case(b)),
            DataType::Utf8,
            false,
        ));
        all_columns.push(Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| r.battery_states[k].name()),
        )));
    }
    for (name, f) in [
        (
            "defense_cost_usd",
            (|r: &DayRow| r.defense_cost_usd) as fn(&DayRow) -> f64,
        ),
        ("offense_cost_usd", |r: &DayRow| r.offense_cost_usd),
    ] {
        all_fields.push(Field::new(name, DataType::Float64, false));
        all_columns.push(Arc::new(Float64Array::from_iter_values(rows.iter().map(f))));
    }
    RecordBatch::try_new(Arc::new(Schema::new(all_fields)), all_columns)
}

/// The summary as `summary.json` text (pretty-printed, with a final newline).
pub fn campaign_summary_json(summary: &CampaignSummary) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(summary).map(|s| s + "\n")
}

/// Writes `campaign.parquet`, the plots (`plots/<id>.svg` and `.png`, see
/// [`crate::plots::campaign`]), then `summary.json` (last, so that a folder with it is
/// complete), into `dir` (created if missing).
pub fn write_campaign(
    dir: &Path,
    rows: &[DayRow],
    summary: &CampaignSummary,
) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let encode = |message: String| ReportError::Encode {
        path: dir.join(CAMPAIGN_PARQUET),
        message,
    };
    let table = campaign_table(rows, summary).map_err(|e| encode(e.to_string()))?;
    write_parquet(&dir.join(CAMPAIGN_PARQUET), &table)?;
    let plots_dir = dir.join("plots");
    std::fs::create_dir_all(&plots_dir).map_err(|source| ReportError::CreateDir {
        path: plots_dir.clone(),
        source,
    })?;
    for plot in crate::plots::campaign(summary)? {
        write_atomically(
            &plots_dir.join(format!("{}.svg", plot.id)),
            plot.svg.as_bytes(),
        )?;
        write_atomically(&plots_dir.join(format!("{}.png", plot.id)), &plot.png)?;
    }
    let json = campaign_summary_json(summary).map_err(|e| ReportError::Encode {
        path: dir.join(CAMPAIGN_SUMMARY),
        message: e.to_string(),
    })?;
    write_atomically(&dir.join(CAMPAIGN_SUMMARY), json.as_bytes())
}
