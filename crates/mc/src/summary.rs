//! The Summary of a batch: the stable JSON contract of `skyshield run --format json` and of
//! `summary.json`.
//!
//! [`Summary`] serialises and reads itself back. Fields are added, never renamed (DESIGN §4);
//! a field added after the first summaries were written carries `#[serde(default)]`, so that
//! older summaries are still read, and fields a newer version adds are ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use skyshield_engine::{Fate, LeakCause, Outcome};

use crate::stats::{CountSummary, Quantiles};

/// Means per run of each fate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fates {
    pub intercepted: f64,
    pub leaked: f64,
    pub ignored_open_area: f64,
    pub failed_in_flight: f64,
}

/// Leakers per run of each cause ([`LeakCause`]), mean over the runs; they sum to
/// [`Fates::leaked`] (up to float rounding).
///
/// In JSON an object with every cause's [`LeakCause::name`] as key, in the order of
/// [`LeakCause::ALL`], zeros included. Reading, a cause missing from the object counts 0 and a
/// key that names no cause (one a newer version adds) is ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LeakCauses(pub [f64; LeakCause::ALL.len()]);

impl LeakCauses {
    /// The mean per run of leakers of `cause`.
    pub fn get(&self, cause: LeakCause) -> f64 {
        self.0[cause.index()]
    }

    /// Every cause with its mean, in the order of [`LeakCause::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (LeakCause, f64)> + '_ {
        LeakCause::ALL.iter().map(|&c| (c, self.get(c)))
    }

    /// Their sum: leakers per run, mean over the runs.
    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }
}

impl Serialize for LeakCauses {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(c, v)| (c.name(), v)))
    }
}

impl<'de> Deserialize<'de> for LeakCauses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, f64>::deserialize(deserializer)?;
        Ok(LeakCauses(
            LeakCause::ALL.map(|c| map.get(c.name()).copied().unwrap_or(0.0)),
        ))
    }
}

/// What one interceptor type (a layer) did, per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerSummary {
    /// Interceptors fired, mean per run.
    pub shots: f64,
    /// Threats killed, mean per run.
    pub kills: f64,
    pub shots_ci95: [f64; 2],
    pub kills_ci95: [f64; 2],
    /// Interceptors fired per run: spread, quantiles, histogram.
    pub shots_stats: CountSummary,
    /// Threats killed per run: spread, quantiles, histogram.
    pub kills_stats: CountSummary,
    /// Rounds left at the end, mean per run (`None`: unlimited).
    pub rounds_left: Option<f64>,
    /// Rounds at the start (`None`: unlimited).
    pub rounds: Option<u64>,
    /// Rounds loaded onto its launchers from the depots, mean per run (0 in summaries older
    /// than the field).
    #[serde(default)]
    pub reloaded: f64,
    /// Cost of the interceptors fired, mean per run, US$.
    pub cost_usd: f64,
}

/// Costs per run, US$.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostSummary {
    /// Interceptors fired, mean per run.
    pub defense: f64,
    pub defense_sd: f64,
    /// Quantiles of the defense's cost per run: exact when `defense_quantiles_exact`,
    /// otherwise within 0.5 %.
    pub defense_quantiles: Quantiles,
    /// Whether `defense_quantiles` are exact: the runs had at most
    /// [`crate::stats::MAX_EXACT_VALUES`] distinct costs (false in summaries older than it).
    #[serde(default)]
    pub defense_quantiles_exact: bool,
    /// Threats launched, mean per run.
    pub offense: f64,
    /// Defense over offense; `None` (JSON `null`) when the offense costs nothing.
    #[serde(default)]
    pub exchange_ratio: Option<f64>,
    pub defense_ci95: [f64; 2],
}

/// Hits on one defended asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetSummary {
    /// Threats landing in it, mean per run.
    pub hits_mean: f64,
    /// Threats landing in it per run: spread, quantiles, histogram.
    pub hits: CountSummary,
    /// Fraction of runs in which it was hit at least once.
    pub p_hit: f64,
    /// 95 % Wilson interval of `p_hit`.
    pub p_hit_ci95: [f64; 2],
}

/// Wall time of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub wall_s: f64,
    pub runs_per_s: f64,
    pub threads: usize,
    /// Time spent preparing the scenario (trajectories, coverage, windows), s.
    #[serde(default)]
    pub prepare_s: f64,
}

/// How the parameters with a `{low, nominal, high}` range were taken in the runs of a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Parameters {
    /// Drawn in each run from their ranges.
    #[default]
    Sampled,
    /// At their nominal values in every run (`skyshield run --nominal`).
    Nominal,
}

impl Parameters {
    /// What the line giving a batch's runs, seed and threats adds: nothing when sampled.
    pub fn suffix(self) -> &'static str {
        match self {
            Parameters::Sampled => "",
            Parameters::Nominal => ", every parameter at its nominal value",
        }
    }
}

/// The summary of a batch of runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Version of skyshield that made the summary (empty in summaries older than the field).
    #[serde(default)]
    pub version: String,
    pub scenario: String,
    pub runs: u64,
    pub seed: u64,
    /// With the scenario, the runs and the seed, what gives the same numbers again (sampled
    /// in summaries older than the field, when sampling was the only way).
    #[serde(default)]
    pub parameters: Parameters,
    /// Threats per run.
    pub threats: usize,
    /// Threats that reached the ground (in a defended asset or not), per run.
    pub leakers: LeakerSummary,
    pub fates: Fates,
    /// Leakers per run of each cause; `None` in summaries older than the field.
    #[serde(default)]
    pub leak_causes: Option<LeakCauses>,
    /// Per interceptor type.
    pub by_layer: BTreeMap<String, LayerSummary>,
    pub cost_usd: CostSummary,
    pub assets: BTreeMap<String, AssetSummary>,
    /// Civil warning, when the scenario has warning zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<WarningSummary>,
    pub timing: Timing,
    /// The kept run ([`crate::BatchOptions::sample_runs`]) whose number of leakers is the
    /// median of the kept runs ([`representative_run`]): the run that `replay.czml` shows.
    /// `None` when no run was kept.
    #[serde(default)]
    pub representative_run: Option<u64>,
    /// The uncertainty the runs sampled and the leakers' spread split by kind, for a batch of
    /// [`crate::run_uncertain`]; `None` for other batches and older summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintySummary>,
    /// The scenario's reported figures against the runs ([`crate::figures::score`]), when the
    /// caller scored them; empty (and absent from the JSON) otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reported: Vec<FigureScore>,
}

/// Civil warning over the runs (see `skyshield_engine::warning` for the definitions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningSummary {
    /// Number of warning zones.
    pub zone_count: usize,
    /// People in all zones.
    pub population: f64,
    /// The policy: confidence of the siren region, its radius in prediction standard
    /// deviations, the lead time aimed for (s), debris warned for, all-clear delay (s).
    pub confidence: f64,
    pub region_sigmas: f64,
    pub min_lead_s: f64,
    pub warn_debris: bool,
    pub all_clear_s: f64,
    /// Lead time from the start of a zone's alert to an impact in it, s, over every impact in
    /// a zone of every run (0 for an impact without a siren before it).
    pub siren_lead_s: LeadSummary,
    /// Lead time from a threat's early warning to its arrival, s, over every early-warned
    /// threat of every run.
    pub early_warning_lead_s: LeadSummary,
    /// Sirens sounded (zone and threat), mean per run.
    pub sirens_mean: f64,
    /// Impacts in zones (leakers, and debris when warned for), mean per run.
    pub impacts_in_zones_mean: f64,
    /// Zones alerted with no impact in them, per run.
    pub false_alarm_zones_mean: f64,
    pub false_alarm_zones_ci95: [f64; 2],
    /// People in those zones, per run.
    pub false_alarm_people_mean: f64,
    pub false_alarm_people_ci95: [f64; 2],
    /// People in zones where an impact came with less lead than their shelter time, per run.
    pub too_late_people_mean: f64,
    pub too_late_people_ci95: [f64; 2],
    /// People times minutes under alert, per run.
    pub people_minutes_under_alert_mean: f64,
    pub people_minutes_under_alert_ci95: [f64; 2],
    /// Per zone, by name.
    pub zones: BTreeMap<String, ZoneSummary>,
}

/// Width of the bins of a [`LeadSummary`]'s histogram, s.
pub const LEAD_BIN_S: f64 = 10.0;
/// Start of the last bin of a [`LeadSummary`]'s histogram, which counts every lead time from
/// there up, s: an hour, which holds the ballistic and most cruise-missile and drone leads.
pub const LEAD_HISTOGRAM_CAP_S: f64 = 3600.0;

fn lead_bin_s() -> f64 {
    LEAD_BIN_S
}

fn lead_histogram_cap_s() -> f64 {
    LEAD_HISTOGRAM_CAP_S
}

/// A lead time's distribution; the statistics are `None` when there was nothing to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadSummary {
    /// Lead times measured, over all runs.
    pub count: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Quantiles (within 0.5 %).
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    /// Width of the histogram's bins ([`LEAD_BIN_S`]) and start of its last bin
    /// ([`LEAD_HISTOGRAM_CAP_S`]), s (absent, and the histogram empty, in summaries older than
    /// the histogram).
    #[serde(default = "lead_bin_s")]
    pub histogram_bin_s: f64,
    #[serde(default = "lead_histogram_cap_s")]
    pub histogram_cap_s: f64,
    /// Lead times per bin: `histogram[k]` counts those from `k * histogram_bin_s` to
    /// `(k + 1) * histogram_bin_s` (negative ones in bin 0), the bin at `histogram_cap_s` every
    /// one from there up; trailing empty bins are left out. The counts sum to `count`.
    #[serde(default)]
    pub histogram: Vec<u64>,
}

/// One warning zone over the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneSummary {
    pub population: f64,
    pub shelter_time_s: f64,
    /// Alert periods, mean per run.
    pub alerts_mean: f64,
    /// Impacts in the zone, mean per run.
    pub impacts_mean: f64,
    /// Fraction of runs with an alert in the zone.
    pub p_alert: f64,
    /// Fraction of runs with an impact in the zone.
    pub p_impact: f64,
    /// Fraction of runs in which its people were warned too late.
    pub p_too_late: f64,
    /// Fraction of runs in which it was alerted and nothing fell in it (absent, 0, in
    /// summaries older than this field).
    #[serde(default)]
    pub p_false_alarm: f64,
    /// Minutes under alert, mean per run.
    pub alert_minutes_mean: f64,
    /// Lead time of each impact in it (as [`WarningSummary::siren_lead_s`]), over all runs.
    #[serde(default)]
    pub siren_lead_s: ZoneLeads,
}

/// Lead times of the impacts in one zone over all runs: their number, and their exact
/// quantiles (within 0.5 % past 10,000 distinct values), `None` when nothing fell in the zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ZoneLeads {
    pub count: u64,
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
}

impl ZoneLeads {
    pub(crate) fn of(leads: &crate::stats::ValueStat) -> Self {
        if leads.moments.n == 0 {
            return ZoneLeads::default();
        }
        let q = leads.quantiles();
        ZoneLeads {
            count: leads.moments.n,
            p5: Some(q.p5),
            p50: Some(q.p50),
            p95: Some(q.p95),
        }
    }
}

/// Statistics of the number of leakers per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeakerSummary {
    pub mean: f64,
    pub sd: f64,
    pub ci95: [f64; 2],
    /// Fraction of runs with no leaker.
    pub p_zero: f64,
    /// 95 % Wilson interval of `p_zero`.
    pub p_zero_ci95: [f64; 2],
    pub quantiles: Quantiles,
    /// Runs with 0, 1, 2, ... leakers.
    pub histogram: Vec<u64>,
}

/// The run of `sample` whose number of leakers is the median of the sample (the lower median
/// for an even number of runs), the lowest run index among runs with that count; `None` for
/// an empty sample.
pub fn representative_run(sample: &[Outcome]) -> Option<u64> {
    let mut counts: Vec<usize> = sample.iter().map(|o| o.count(Fate::Leaked)).collect();
    counts.sort_unstable();
    let median = *counts.get(counts.len().checked_sub(1)? / 2)?;
    sample
        .iter()
        .filter(|o| o.count(Fate::Leaked) == median)
        .map(|o| o.run)
        .min()
}

/// Which uncertainty the runs of a batch sample (see [`crate::uncertainty`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Uncertainty {
    /// Parameters at their nominal values, one run.
    Nominal,
    /// Parameters at their nominal values, runs differing by chance.
    Chance,
    /// Parameter sets drawn, sharing their chance.
    Parameters,
    /// Parameter sets drawn, each with its own chance.
    #[default]
    Both,
}

impl Uncertainty {
    /// Every mode, in the order of the docs.
    pub const ALL: [Uncertainty; 4] = [
        Uncertainty::Nominal,
        Uncertainty::Chance,
        Uncertainty::Parameters,
        Uncertainty::Both,
    ];

    /// Its name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Uncertainty::Nominal => "nominal",
            Uncertainty::Chance => "chance",
            Uncertainty::Parameters => "parameters",
            Uncertainty::Both => "both",
        }
    }

    /// The mode named `name`.
    pub fn from_name(name: &str) -> Option<Uncertainty> {
        Uncertainty::ALL.into_iter().find(|u| u.name() == name)
    }

    pub(crate) fn draws_parameters(self) -> bool {
        matches!(self, Uncertainty::Parameters | Uncertainty::Both)
    }
}

/// Leakers per run, their spread split by kind (see `docs/uncertainty.md`). An interval is the
/// central 90 %: from the 5th to the 95th percentile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertaintySummary {
    pub mode: Uncertainty,
    /// Parameter sets played (1 when the parameters are nominal).
    pub parameter_sets: u64,
    /// Runs of each set.
    pub runs_per_set: u64,
    /// Mean leakers per run over every run.
    pub leakers_mean: f64,
    /// Standard deviation of the leakers due to chance: the root of the mean over the sets of
    /// the variance within a set. `None` when the runs do not vary by chance apart
    /// (`nominal`, `parameters`).
    pub chance_sd: Option<f64>,
    /// 90 % interval due to chance: with `chance`, the 5th and 95th percentiles of the runs;
    /// with `both`, the normal interval mean ± 1.645 `chance_sd`, clipped to [0, threats].
    pub chance_90: Option<[f64; 2]>,
    /// Standard deviation of the mean leakers over the parameter sets, less the part that
    /// chance adds to the mean of a set of `runs_per_set` runs (`both`). `None` when the
    /// parameters are nominal.
    pub parameters_sd: Option<f64>,
    /// 90 % interval due to parameters: the 5th and 95th percentiles of the sets' mean
    /// leakers.
    pub parameters_90: Option<[f64; 2]>,
    /// Standard deviation of both together (`both`): the root of the sum of the two
    /// variances.
    pub total_sd: Option<f64>,
    /// 90 % interval of both together: the 5th and 95th percentiles of the pooled runs.
    pub total_90: Option<[f64; 2]>,
    /// Mean leakers of each set, in set order.
    pub set_means: Vec<f64>,
}

/// A reported figure against a batch, as the Summary JSON gives it (`reported`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureScore {
    /// What was reported, in words.
    pub figure: String,
    /// The reported value, or its range.
    pub low: f64,
    pub high: f64,
    /// The simulated metric, as the scenario writes it (`leakers`, `layer.arrow-3.shots`...).
    pub metric: String,
    /// Where the figure comes from, and why the simulation may differ.
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
    /// The simulated value (the mean over runs, or a lead-time quantile) and the 5th and 95th
    /// percentiles of the runs (of the lead times); `None` when nothing was measured.
    pub simulated: Option<f64>,
    pub simulated_p5: Option<f64>,
    pub simulated_p95: Option<f64>,
    /// Percentile rank of the reported value among the runs, and its label.
    pub rank: Option<f64>,
    pub agreement: crate::reported::Agreement,
}
