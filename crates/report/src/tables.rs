//! The per-run and per-threat tables of a batch as Arrow record batches: written to Parquet in
//! a run's folder (`runs.parquet`, `events.parquet`) and handed over in memory (to Python).
//! The column names are the constants of [`column`](mod@column), used by the writer and by the reader
//! alike.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array,
    UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, TimeUnit};
use skyshield_engine::{Outcome, Prepared, ThreatOutcome};
use skyshield_mc::RunRow;

/// The names of the columns of `runs.parquet` and `events.parquet`.
pub mod column {
    /// Run index (both tables), u64.
    pub const RUN: &str = "run";
    /// Master seed of the batch (`runs`), u64.
    pub const SEED: &str = "seed";
    /// Fates counted in a run (`runs`), u32.
    pub const LEAKERS: &str = "leakers";
    pub const INTERCEPTED: &str = "intercepted";
    pub const IGNORED_OPEN_AREA: &str = "ignored_open_area";
    pub const FAILED_IN_FLIGHT: &str = "failed_in_flight";
    /// Costs of a run, US$ (`runs`), f64.
    pub const DEFENSE_COST_USD: &str = "defense_cost_usd";
    pub const OFFENSE_COST_USD: &str = "offense_cost_usd";
    /// Interceptors of one type fired in a run (`runs`), u32.
    pub fn shots(layer: &str) -> String {
        format!("shots_{}", snake_case(layer))
    }
    /// Threats killed by one interceptor type in a run (`runs`), u32.
    pub fn kills(layer: &str) -> String {
        format!("kills_{}", snake_case(layer))
    }
    /// Rounds of one interceptor type loaded onto launchers from the depots in a run (`runs`),
    /// u32.
    pub fn reloaded(layer: &str) -> String {
        format!("reloaded_{}", snake_case(layer))
    }
    /// Threats landing in one asset in a run (`runs`), u32.
    pub fn hits(asset: &str) -> String {
        format!("hits_{}", snake_case(asset))
    }
    /// An id as it is written in a column name: lower case, every character other than a
    /// letter or digit written `_` (`arrow-2` is `arrow_2`), so that names need no quoting in
    /// SQL, pandas or R.
    pub fn snake_case(id: &str) -> String {
        id.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect()
    }
    /// Index of the threat in the scenario's rounds (`events`), u32.
    pub const THREAT: &str = "threat";
    /// Raid group id, catalog type and class of the threat (`events`), text.
    pub const GROUP: &str = "group";
    pub const TYPE: &str = "type";
    pub const CLASS: &str = "class";
    /// Launch time and time of the threat's end, s from the scenario's time zero (`events`).
    pub const LAUNCH_S: &str = "launch_s";
    pub const END_S: &str = "end_s";
    /// The threat's fate (`events`), text.
    pub const FATE: &str = "fate";
    /// Why a leaker leaked ([`skyshield_engine::LeakCause::name`]; `events`), text, null for a
    /// threat that did not leak.
    pub const LEAK_CAUSE: &str = "leak_cause";
    /// Where the threat ended (`events`), degrees and metres.
    pub const LAT_DEG: &str = "lat_deg";
    pub const LON_DEG: &str = "lon_deg";
    pub const HEIGHT_M: &str = "height_m";
    /// Battery that killed it, asset it hit (`events`), text or null.
    pub const BATTERY: &str = "battery";
    pub const ASSET: &str = "asset";
    /// Where its debris fell (`events`), degrees or null.
    pub const DEBRIS_LAT_DEG: &str = "debris_lat_deg";
    pub const DEBRIS_LON_DEG: &str = "debris_lon_deg";
    /// Interceptors fired at it (`events`), u32.
    pub const SHOTS: &str = "shots";
    /// Launch time and time of the threat's end as UTC timestamps (ms) when the scenario sets
    /// its `start`, null otherwise (`events`).
    pub const LAUNCH_UTC: &str = "launch_utc";
    pub const END_UTC: &str = "end_utc";
}

fn batch(fields: Vec<Field>, columns: Vec<ArrayRef>) -> Result<RecordBatch, ArrowError> {
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

/// One row per run ([`RunRow`]), in the order of `rows`: `run`, `seed`, the four fates, a
/// column [`column::shots`] per interceptor type of `layers` (the order of [`RunRow::shots`]),
/// then [`column::kills`] and [`column::reloaded`] per interceptor type in the same order,
/// [`column::hits`] per asset of `assets` (the order of [`RunRow::hits`]), `defense_cost_usd`
/// and `offense_cost_usd`.
pub fn runs_table(
    rows: &[RunRow],
    layers: &[String],
    assets: &[String],
) -> Result<RecordBatch, ArrowError> {
    let u32s = |f: &dyn Fn(&RunRow) -> u32| {
        Arc::new(UInt32Array::from_iter_values(rows.iter().map(f))) as ArrayRef
    };
    let mut fields = vec![
        Field::new(column::RUN, DataType::UInt64, false),
        Field::new(column::SEED, DataType::UInt64, false),
        Field::new(column::LEAKERS, DataType::UInt32, false),
        Field::new(column::INTERCEPTED, DataType::UInt32, false),
        Field::new(column::IGNORED_OPEN_AREA, DataType::UInt32, false),
        Field::new(column::FAILED_IN_FLIGHT, DataType::UInt32, false),
    ];
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.run))),
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.seed))),
        u32s(&|r| r.leakers),
        u32s(&|r| r.intercepted),
        u32s(&|r| r.ignored_open_area),
        u32s(&|r| r.failed_in_flight),
    ];
    for (l, name) in layers.iter().enumerate() {
        fields.push(Field::new(column::shots(name), DataType::UInt32, false));
        columns.push(u32s(&|r| r.shots[l]));
    }
    for (l, name) in layers.iter().enumerate() {
        fields.push(Field::new(column::kills(name), DataType::UInt32, false));
        columns.push(u32s(&|r| r.kills[l]));
    }
    for (l, name) in layers.iter().enumerate() {
        fields.push(Field::new(column::reloaded(name), DataType::UInt32, false));
        columns.push(u32s(&|r| r.reloaded[l]));
    }
    for (a, name) in assets.iter().enumerate() {
        fields.push(Field::new(column::hits(name), DataType::UInt32, false));
        columns.push(u32s(&|r| r.hits[a]));
    }
    fields.push(Field::new(
        column::DEFENSE_COST_USD,
        DataType::Float64,
        false,
    ));
    fields.push(Field::new(
        column::OFFENSE_COST_USD,
        DataType::Float64,
        false,
    ));
    columns.push(Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|r| r.defense_cost_usd),
    )));
    columns.push(Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|r| r.offense_cost_usd),
    )));
    batch(fields, columns)
}

/// Every (run, threat index, threat outcome) of `sample`, in run then threat order.
pub(crate) fn threat_rows(
    sample: &[Outcome],
) -> impl Iterator<Item = (u64, usize, &ThreatOutcome)> {
    sample
        .iter()
        .flat_map(|o| o.threats.iter().enumerate().map(|(i, t)| (o.run, i, t)))
}

/// One row per threat per run of `sample`, in run then threat order.
///
/// Columns: `run` u64, `threat` u32 (index in the scenario's rounds), `group` (raid group id),
/// `type` (catalog type), `class`, `launch_s`, `fate` ([`skyshield_engine::Fate::name`]),
/// `leak_cause` ([`skyshield_engine::LeakCause::name`] of a leaker, null otherwise), `end_s` (time of impact, intercept or failure, s from the scenario's time origin),
/// `lat_deg`, `lon_deg` (impact point, intercept ground point, or the ground point under the
/// failure), `height_m` (of an intercept; 0 otherwise), `battery` (id of the battery that
/// killed it, or null), `asset` (id of the asset hit, or null), `debris_lat_deg`,
/// `debris_lon_deg` (where the debris of an intercepted threat fell, or null), `shots` u32
/// (interceptors fired at it), `launch_utc` and `end_utc` (UTC timestamps in ms of `launch_s`
/// and `end_s` when the scenario sets its `start`, null otherwise).
pub fn events_table<'p>(
    prepared: &'p Prepared,
    sample: &[Outcome],
) -> Result<RecordBatch, ArrowError> {
    let rows = || threat_rows(sample);
    let f64s = |f: &dyn Fn(&ThreatOutcome) -> f64| {
        Arc::new(Float64Array::from_iter_values(rows().map(|(_, _, t)| f(t)))) as ArrayRef
    };
    let opt_f64s = |f: &dyn Fn(&ThreatOutcome) -> Option<f64>| {
        Arc::new(Float64Array::from_iter(rows().map(|(_, _, t)| f(t)))) as ArrayRef
    };
    let strs = |f: &dyn Fn(usize, &ThreatOutcome) -> Option<&'p str>| {
        Arc::new(StringArray::from_iter(rows().map(|(_, i, t)| f(i, t)))) as ArrayRef
    };
    let group = |i: usize| &prepared.types[prepared.threats[i].group];
    let utc = |f: &dyn Fn(&ThreatOutcome) -> f64| {
        let ms = |t: &ThreatOutcome| {
            let start = prepared.start?;
            Some(start.as_millisecond() + (f(t) * 1000.0).round() as i64)
        };
        Arc::new(
            TimestampMillisecondArray::from_iter(rows().map(|(_, _, t)| ms(t)))
                .with_timezone("UTC"),
        ) as ArrayRef
    };
    let timestamp = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    let fields = vec![
        Field::new(column::RUN, DataType::UInt64, false),
        Field::new(column::THREAT, DataType::UInt32, false),
        Field::new(column::GROUP, DataType::Utf8, false),
        Field::new(column::TYPE, DataType::Utf8, false),
        Field::new(column::CLASS, DataType::Utf8, false),
        Field::new(column::LAUNCH_S, DataType::Float64, false),
        Field::new(column::FATE, DataType::Utf8, false),
        Field::new(column::LEAK_CAUSE, DataType::Utf8, true),
        Field::new(column::END_S, DataType::Float64, false),
        Field::new(column::LAT_DEG, DataType::Float64, false),
        Field::new(column::LON_DEG, DataType::Float64, false),
        Field::new(column::HEIGHT_M, DataType::Float64, false),
        Field::new(column::BATTERY, DataType::Utf8, true),
        Field::new(column::ASSET, DataType::Utf8, true),
        Field::new(column::DEBRIS_LAT_DEG, DataType::Float64, true),
        Field::new(column::DEBRIS_LON_DEG, DataType::Float64, true),
        Field::new(column::SHOTS, DataType::UInt32, false),
        Field::new(column::LAUNCH_UTC, timestamp.clone(), true),
        Field::new(column::END_UTC, timestamp, true),
    ];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(rows().map(|(r, _, _)| r))),
        Arc::new(UInt32Array::from_iter_values(
            rows().map(|(_, i, _)| i as u32),
        )),
        strs(&|i, _| Some(&group(i).group)),
        strs(&|i, _| Some(&group(i).type_id)),
        strs(&|i, _| Some(group(i).class.name())),
        f64s(&|t| t.launch_s),
        strs(&|_, t| Some(t.fate.name())),
        strs(&|_, t| t.leak_cause.map(|c| c.name())),
        f64s(&|t| t.time_s),
        f64s(&|t| t.lat_deg),
        f64s(&|t| t.lon_deg),
        f64s(&|t| t.height_m),
        strs(&|_, t| t.battery.map(|b| prepared.batteries[b].id.as_str())),
        strs(&|_, t| t.asset.map(|a| prepared.asset_ids[a].as_str())),
        opt_f64s(&|t| t.debris.map(|d| d.0)),
        opt_f64s(&|t| t.debris.map(|d| d.1)),
        Arc::new(UInt32Array::from_iter_values(
            rows().map(|(_, _, t)| t.shots),
        )),
        utc(&|t| t.launch_s),
        utc(&|t| t.time_s),
    ];
    batch(fields, columns)
}
