//! Campaigns over days: the state that a war carries from one day to the next, around the
//! engine's one-day replications.
//!
//! # What this crate owns, and what it must not depend on
//! It owns the state of a campaign run (missile stocks, production and launchers of the
//! attacker; interceptors on launchers, in battery depots and in the national depot,
//! deliveries with their lead times; battery availability: relocations with their march,
//! losses in transit, maintenance), the day loop that plays each day as one replication of the
//! engine, and the per-day statistics. Batches over runs come from `skyshield-mc`
//! ([`skyshield_mc::map_runs`]); it must not depend on rayon, tokio, nor on the report and
//! front-end crates.
//!
//! # A campaign run
//! The scenario is prepared once ([`skyshield_engine::prepare`]): its `raid` is the template of
//! a day, each group's `count` the most it launches in a day, at the times its `launch` gives.
//! Run `k` plays days `1..=days` in order; day `d` draws from the streams of
//! `(day_seed(seed, d), k, stream)` ([`skyshield_core::day_seed`]), the engine's as well as the
//! campaign's own ([`skyshield_core::Stream::Campaign`]), so a campaign is the same on any
//! number of threads, and day `d` of run `k` does not depend on how the draws of other days
//! went, only on the state they left. A day:
//! 1. **Deliveries and production.** Interceptors ordered on day `o` with a lead of `L` days
//!    reach the national depot at the start of day `o + L` (orders that would arrive after the
//!    last day never do). The attacker's production of the day is added to its stocks:
//!    `per_day + ramp_per_day × (d − 1)`, rounded, never below 0.
//! 2. **Reloads.** Each battery still in service loads its empty launchers from its own depot,
//!    then from the national depot of its type, up to its launchers' capacity (the scenario's
//!    ready rounds), then refills its own depot from the national depot up to the scenario's
//!    `depot_rounds`; batteries in file order.
//! 3. **Availability.** A battery is down for maintenance all day on its maintenance days, or
//!    with its daily maintenance probability; otherwise it relocates on its relocation days,
//!    or with its daily relocation probability: it marches from the day's first planned launch
//!    (the earliest launch of the template) for its march time, drawn from its range, and is
//!    lost on the march with its loss probability, drawn from its range. Away, it launches
//!    nothing and its radar forms no track ([`skyshield_engine::Day::away`]); lost, it and its
//!    rounds are gone for the rest of the campaign.
//! 4. **The raid.** The day's launches per raid group: explicit, or a salvo drawn from its
//!    triangular distribution and shared among the groups by their shares (largest
//!    remainders); each group at most its template `count`. Then capped by the missiles in
//!    stock of each type, and by each launcher pool's capacity (launchers left × rounds per
//!    launcher per day), each cap shared among the groups in proportion to what they asked
//!    (largest remainders). The rounds launched of a group are spread evenly over its template
//!    rounds, so over its pulses and sites.
//! 5. **The replication**, with the day's launches, rounds and absences.
//! 6. **After the day.** Rounds fired leave the batteries; missiles launched leave the stocks;
//!    each launcher pool loses each of its launchers with the day's loss fraction, drawn from
//!    its range.
//!
//! # What is reported
//! Per run and day, a [`DayRow`]; per day, the distribution over runs ([`Series`]: mean, 95 %
//! interval of the mean, 5th, 50th and 95th percentiles) of launches by threat type, leakers,
//! hits per asset, shots and kills per interceptor type, stocks per interceptor type at the
//! day's end (deployed: on launchers and in battery depots; national depot), batteries by
//! state, and cost; per interceptor type, the day of first exhaustion (the first day that ends
//! with no round of the type left anywhere) as a distribution with P(exhausted by day D); the
//! day from which the launchers, rather than the missiles in stock or the planned raid, limit
//! the launches, as a distribution ([`CampaignSummary`]).
//!
//! # What is not modelled
//! Launcher attrition does not depend on what the defense does; batteries do not share rounds
//! with each other except through the national depot; a relocated battery comes back to the
//! same position (the prepared engagement windows are those of its one position); interceptors
//! are not produced faster when stocks run low; the attacker does not adapt its raid to the
//! defense's state.

mod run;
mod summary;

use std::time::Instant;

use skyshield_engine::Prepared;
use skyshield_mc::{BatchError, CancelToken};
use skyshield_scenario::Scenario;

pub use run::{BatteryState, DayRow};
pub use summary::{CampaignSummary, DayDistribution, DaySummary, Series};

/// Most runs × days a campaign may play (rows held in memory).
pub const MAX_RUN_DAYS: u64 = 20_000_000;

/// How to play a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignOptions {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; 0: one per core.
    pub threads: usize,
}

/// Why a campaign gave no result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CampaignError {
    #[error("the scenario has no `campaign` section: `skyshield campaign` needs one")]
    NoCampaign,
    #[error(
        "{runs} runs of {days} days are too many: at most {MAX_RUN_DAYS} run-days are kept in memory"
    )]
    TooLarge { runs: u64, days: u32 },
    #[error("the prepared scenario does not match its campaign: {0}")]
    Mismatch(String),
    #[error(transparent)]
    Batch(#[from] BatchError),
}

/// What a campaign gives: the per-day summary, and a row per run and day in (run, day) order.
#[derive(Debug, Clone)]
pub struct CampaignResult {
    pub summary: CampaignSummary,
    pub rows: Vec<DayRow>,
    /// Wall time, s (not part of the summary, which is the same on any number of threads).
    pub wall_s: f64,
}

/// Plays `opts.runs` runs of the campaign of `scenario`, prepared as `prepared`, and
/// summarises them. `progress` hears runs done, of all.
pub fn run_campaign(
    scenario: &Scenario,
    prepared: &Prepared,
    opts: &CampaignOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CampaignResult, CampaignError> {
    let start = Instant::now();
    let campaign = scenario
        .campaign
        .as_ref()
        .ok_or(CampaignError::NoCampaign)?;
    if opts.runs.saturating_mul(u64::from(campaign.days)) > MAX_RUN_DAYS {
        return Err(CampaignError::TooLarge {
            runs: opts.runs,
            days: campaign.days,
        });
    }
    let plan = run::Plan::new(scenario, campaign, prepared)?;
    let per_run = skyshield_mc::map_runs(
        opts.runs,
        opts.threads,
        cancel,
        || run::Scratch::new(&plan),
        |scratch, k| plan.play(prepared, opts.seed, k, scratch),
        progress,
    )?;
    let rows: Vec<DayRow> = per_run.into_iter().flatten().collect();
    let summary = summary::summarise(scenario, campaign, prepared, opts, &rows);
    Ok(CampaignResult {
        summary,
        rows,
        wall_s: start.elapsed().as_secs_f64(),
    })
}
