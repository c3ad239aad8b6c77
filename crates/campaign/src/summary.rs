//! The per-day statistics of a campaign over its runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use skyshield_engine::Prepared;
use skyshield_mc::stats::Moments;
use skyshield_scenario::{Campaign, Scenario};

use crate::CampaignOptions;
use crate::run::{BatteryState, DayRow};

/// The distribution of a per-run number over the runs: mean, 95 % interval of the mean, and
/// the 5th, 50th and 95th percentiles (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub mean: f64,
    pub ci95: [f64; 2],
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Series {
    /// The series of `values` (one per run).
    pub fn of(values: &mut [f64]) -> Series {
        let mut m = Moments::default();
        values.iter().for_each(|&x| m.add(x));
        values.sort_by(f64::total_cmp);
        let q = |p: f64| {
            if values.is_empty() {
                return 0.0;
            }
            let rank = (p * values.len() as f64).ceil().max(1.0) as usize;
            values[rank.min(values.len()) - 1]
        };
        Series {
            mean: m.mean,
            ci95: m.ci95(),
            p5: q(0.05),
            p50: q(0.5),
            p95: q(0.95),
        }
    }
}

/// The day on which something first happened in each run, over the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayDistribution {
    /// P(it happened by day D), for D = 1, 2, ..., the last day.
    pub p_by_day: Vec<f64>,
    /// Share of the runs in which it never happened within the campaign.
    pub p_never: f64,
    /// Percentiles of the day among the runs in which it happened (`None`: it never did).
    pub p5: Option<u32>,
    pub p50: Option<u32>,
    pub p95: Option<u32>,
}

impl DayDistribution {
    fn of(first: &[Option<u32>], days: u32) -> DayDistribution {
        let n = first.len().max(1) as f64;
        let p_by_day = (1..=days)
            .map(|d| first.iter().filter(|f| f.is_some_and(|x| x <= d)).count() as f64 / n)
            .collect();
        let mut happened: Vec<u32> = first.iter().flatten().copied().collect();
        happened.sort_unstable();
        let q = |p: f64| {
            let rank = (p * happened.len() as f64).ceil().max(1.0) as usize;
            happened.get(rank.min(happened.len()).max(1) - 1).copied()
        };
        DayDistribution {
            p_by_day,
            p_never: first.iter().filter(|f| f.is_none()).count() as f64 / n,
            p5: q(0.05),
            p50: q(0.5),
            p95: q(0.95),
        }
    }
}

/// One day over the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaySummary {
    pub day: u32,
    /// By threat type.
    pub launches: BTreeMap<String, Series>,
    pub launches_total: Series,
    pub leakers: Series,
    /// By asset.
    pub hits: BTreeMap<String, Series>,
    /// By interceptor type.
    pub shots: BTreeMap<String, Series>,
    pub kills: BTreeMap<String, Series>,
    /// Rounds at the day's end by interceptor type: on launchers and in battery depots, and in
    /// the national depot.
    pub stock_deployed: BTreeMap<String, Series>,
    pub stock_depot: BTreeMap<String, Series>,
    /// Rounds left anywhere (deployed and national depot) at the day's end.
    pub stock_total: BTreeMap<String, Series>,
    /// Mean number of batteries in each state.
    pub batteries: BTreeMap<String, f64>,
    pub defense_cost_usd: Series,
    pub offense_cost_usd: Series,
    /// Share of runs in which the launchers, or the missiles in stock, capped the launches.
    pub p_launcher_limited: f64,
    pub p_stock_limited: f64,
}

/// A campaign over its runs (`summary.json` of `skyshield campaign`): the same on any number of
/// threads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub scenario: String,
    pub runs: u64,
    pub seed: u64,
    pub days: u32,
    pub threat_types: Vec<String>,
    pub interceptor_types: Vec<String>,
    pub assets: Vec<String>,
    pub batteries: Vec<String>,
    pub launcher_pools: Vec<String>,
    /// Day by day, day 1 first.
    pub by_day: Vec<DaySummary>,
    /// Over the whole campaign, per run.
    pub total_leakers: Series,
    pub total_launches: BTreeMap<String, Series>,
    pub total_shots: BTreeMap<String, Series>,
    pub total_defense_cost_usd: Series,
    /// Per interceptor type, the first day that ends with no round of it left anywhere.
    pub exhaustion: BTreeMap<String, DayDistribution>,
    /// The first day on which the launchers capped the launches.
    pub launcher_limited_from: DayDistribution,
}

/// The summary of `rows`, in (run, day) order.
pub(crate) fn summarise(
    scenario: &Scenario,
    c: &Campaign,
    p: &Prepared,
    opts: &CampaignOptions,
    rows: &[DayRow],
) -> CampaignSummary {
    let days = c.days as usize;
    let runs = opts.runs as usize;
    // Rows of day d (from 0) are rows[run * days + d].
    let day_rows = |d: usize| (0..runs).map(move |r| &rows[r * days + d]);
    let series = |d: usize, f: &dyn Fn(&DayRow) -> f64| {
        let mut v: Vec<f64> = day_rows(d).map(f).collect();
        Series::of(&mut v)
    };
    let by_names = |names: &[String], d: usize, f: &dyn Fn(&DayRow, usize) -> f64| {
        names
            .iter()
            .enumerate()
            .map(|(k, name)| (name.clone(), series(d, &|r| f(r, k))))
            .collect::<BTreeMap<_, _>>()
    };
    let by_day = (0..days)
        .map(|d| {
            let mut batteries = BTreeMap::new();
            for state in BatteryState::ALL {
                let n: usize = day_rows(d)
                    .map(|r| r.battery_states.iter().filter(|&&s| s == state).count())
                    .sum();
                batteries.insert(state.name().to_owned(), n as f64 / runs.max(1) as f64);
            }
            let share = |f: &dyn Fn(&DayRow) -> bool| {
                day_rows(d).filter(|r| f(r)).count() as f64 / runs.max(1) as f64
            };
            DaySummary {
                day: d as u32 + 1,
                launches: by_names(&c.threat_types, d, &|r, k| f64::from(r.launched[k])),
                launches_total: series(d, &|r| r.launched.iter().map(|&x| f64::from(x)).sum()),
                leakers: series(d, &|r| f64::from(r.leakers)),
                hits: by_names(&p.asset_ids, d, &|r, k| f64::from(r.hits[k])),
                shots: by_names(&c.interceptor_types, d, &|r, k| f64::from(r.shots[k])),
                kills: by_names(&c.interceptor_types, d, &|r, k| f64::from(r.kills[k])),
                stock_deployed: by_names(&c.interceptor_types, d, &|r, k| f64::from(r.deployed[k])),
                stock_depot: by_names(&c.interceptor_types, d, &|r, k| f64::from(r.depot[k])),
                stock_total: by_names(&c.interceptor_types, d, &|r, k| {
                    f64::from(r.deployed[k]) + f64::from(r.depot[k])
                }),
                batteries,
                defense_cost_usd: series(d, &|r| r.defense_cost_usd),
                offense_cost_usd: series(d, &|r| r.offense_cost_usd),
                p_launcher_limited: share(&|r| r.launcher_limited),
                p_stock_limited: share(&|r| r.stock_limited),
            }
        })
        .collect();
    let run_rows = |r: usize| &rows[r * days..(r + 1) * days];
    let total = |f: &dyn Fn(&DayRow) -> f64| {
        let mut v: Vec<f64> = (0..runs).map(|r| run_rows(r).iter().map(f).sum()).collect();
        Series::of(&mut v)
    };
    let totals_by = |names: &[String], f: &dyn Fn(&DayRow, usize) -> f64| {
        names
            .iter()
            .enumerate()
            .map(|(k, name)| (name.clone(), total(&|r| f(r, k))))
            .collect::<BTreeMap<_, _>>()
    };
    let first_day = |f: &dyn Fn(&DayRow) -> bool| {
        let first: Vec<Option<u32>> = (0..runs)
            .map(|r| run_rows(r).iter().find(|x| f(x)).map(|x| x.day))
            .collect();
        DayDistribution::of(&first, c.days)
    };
    let exhaustion = c
        .interceptor_types
        .iter()
        .enumerate()
        .map(|(k, name)| {
            (
                name.clone(),
                first_day(&|r| r.deployed[k] == 0 && r.depot[k] == 0),
            )
        })
        .collect();
    CampaignSummary {
        scenario: scenario.name.clone(),
        runs: opts.runs,
        seed: opts.seed,
        days: c.days,
        threat_types: c.threat_types.clone(),
        interceptor_types: c.interceptor_types.clone(),
        assets: p.asset_ids.clone(),
        batteries: p.batteries.iter().map(|b| b.id.clone()).collect(),
        launcher_pools: c.launchers.iter().map(|l| l.id.clone()).collect(),
        by_day,
        total_leakers: total(&|r| f64::from(r.leakers)),
        total_launches: totals_by(&c.threat_types, &|r, k| f64::from(r.launched[k])),
        total_shots: totals_by(&c.interceptor_types, &|r, k| f64::from(r.shots[k])),
        total_defense_cost_usd: total(&|r| r.defense_cost_usd),
        exhaustion,
        launcher_limited_from: first_day(&|r| r.launcher_limited),
    }
}
