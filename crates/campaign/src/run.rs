//! One campaign run: the state carried from day to day, and the day loop.

use rand_distr::{Binomial, Distribution};
use serde::Serialize;
use skyshield_core::{
    RngExt, SimTime, Stream, StreamRng, apportion, day_seed, largest_remainder, stream,
};
use skyshield_engine::{Day, Fate, NoObserver, Prepared, Replication, triangular};
use skyshield_scenario::{Campaign, DayRaid, Scenario, Uncertain};

use crate::CampaignError;

/// What a battery does on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatteryState {
    /// In place all day.
    Ready,
    /// Marching for part of the day.
    Relocating,
    /// Down for maintenance all day.
    Maintenance,
    /// Lost (on a march, this day or before).
    Lost,
}

impl BatteryState {
    pub const ALL: [BatteryState; 4] = [
        BatteryState::Ready,
        BatteryState::Relocating,
        BatteryState::Maintenance,
        BatteryState::Lost,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BatteryState::Ready => "ready",
            BatteryState::Relocating => "relocating",
            BatteryState::Maintenance => "maintenance",
            BatteryState::Lost => "lost",
        }
    }
}

/// The numbers of one day of one run. Vectors by threat type follow
/// [`Campaign::threat_types`], by interceptor type [`Campaign::interceptor_types`], by asset the
/// prepared scenario's `asset_ids`, by battery its `batteries`, by launcher pool
/// [`Campaign::launchers`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRow {
    pub run: u64,
    /// From 1.
    pub day: u32,
    /// Rounds the day's raid asked for, before stocks and launchers capped it, by threat type.
    pub requested: Vec<u32>,
    /// Rounds launched, by threat type.
    pub launched: Vec<u32>,
    /// Missiles in stock at the day's end, by threat type (`None`: unlimited).
    pub threat_stock: Vec<Option<u64>>,
    /// Launchers left at the day's end, by pool.
    pub launchers: Vec<u32>,
    /// Whether the missiles in stock, or the launchers, capped the day's launches.
    pub stock_limited: bool,
    pub launcher_limited: bool,
    pub leakers: u32,
    /// Threats landing in each asset.
    pub hits: Vec<u32>,
    /// Interceptors fired and threats killed, by interceptor type.
    pub shots: Vec<u32>,
    pub kills: Vec<u32>,
    /// Rounds at the day's start, before deliveries, by interceptor type: on launchers and in
    /// battery depots (deployed), and in the national depot.
    pub start_deployed: Vec<u32>,
    pub start_depot: Vec<u32>,
    /// Rounds delivered to the national depot at the day's start, by interceptor type.
    pub delivered: Vec<u32>,
    /// Rounds lost with batteries lost on the day, by interceptor type.
    pub lost_rounds: Vec<u32>,
    /// Rounds at the day's end, by interceptor type.
    pub deployed: Vec<u32>,
    pub depot: Vec<u32>,
    /// Each battery's state.
    pub battery_states: Vec<BatteryState>,
    pub defense_cost_usd: f64,
    pub offense_cost_usd: f64,
}

/// What a campaign run needs of the scenario, computed once.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) campaign: Campaign,
    /// Per raid group, its threats in round order (indices into the prepared threats).
    group_threats: Vec<Vec<usize>>,
    /// Per battery: launcher capacity, and the depot it is refilled to.
    capacity: Vec<u32>,
    depot_full: Vec<u32>,
    /// Per day (index 0: day 1) and interceptor type, rounds delivered at its start.
    arrivals: Vec<Vec<u32>>,
    /// The day's first planned launch: when marches begin.
    day_start: SimTime,
}

/// The reusable state of runs on one thread.
#[derive(Debug)]
pub(crate) struct Scratch {
    rep: Replication,
    launched: Vec<bool>,
    rounds: Vec<u32>,
    depot: Vec<u32>,
    away: Vec<(SimTime, SimTime)>,
}

impl Scratch {
    pub(crate) fn new(plan: &Plan) -> Scratch {
        let nb = plan.capacity.len();
        Scratch {
            rep: Replication::new().with_parameter_sampling(true),
            launched: Vec::new(),
            rounds: vec![0; nb],
            depot: vec![0; nb],
            away: vec![(SimTime::ZERO, SimTime::ZERO); nb],
        }
    }
}

impl Plan {
    pub(crate) fn new(
        scenario: &Scenario,
        campaign: &Campaign,
        p: &Prepared,
    ) -> Result<Plan, CampaignError> {
        let layered = scenario
            .as_layered()
            .ok_or_else(|| CampaignError::Mismatch("a campaign needs a layered scenario".into()))?;
        let same_batteries = layered.batteries.len() == p.batteries.len()
            && layered
                .batteries
                .iter()
                .zip(&p.batteries)
                .all(|(a, b)| a.id == b.id);
        if !same_batteries || campaign.group_type.len() != layered.raid.len() {
            return Err(CampaignError::Mismatch(
                "its batteries or raid groups differ from the scenario's".into(),
            ));
        }
        let mut group_threats = vec![Vec::new(); layered.raid.len()];
        for (i, t) in p.threats.iter().enumerate() {
            group_threats
                .get_mut(t.group)
                .ok_or_else(|| CampaignError::Mismatch(format!("threat {i} has no raid group")))?
                .push(i);
        }
        let days = campaign.days as usize;
        let mut arrivals = vec![vec![0u32; campaign.interceptor_types.len()]; days];
        for d in &campaign.deliveries {
            for order in d.days.0..=d.days.1 {
                let at = (order + d.lead_days) as usize;
                if at <= days {
                    let a = &mut arrivals[at - 1][d.interceptor_type];
                    *a = a.saturating_add(d.rounds);
                }
            }
        }
        let day_start = p
            .threats
            .iter()
            .map(|t| t.launch)
            .min()
            .unwrap_or(SimTime::ZERO);
        Ok(Plan {
            campaign: campaign.clone(),
            group_threats,
            capacity: p.batteries.iter().map(|b| b.rounds).collect(),
            depot_full: p.batteries.iter().map(|b| b.depot_rounds).collect(),
            arrivals,
            day_start,
        })
    }

    /// Plays run `run` of the campaign: its rows, day 1 first.
    pub(crate) fn play(&self, p: &Prepared, seed: u64, run: u64, s: &mut Scratch) -> Vec<DayRow> {
        let c = &self.campaign;
        let (nt, ni, nb) = (
            c.threat_types.len(),
            c.interceptor_types.len(),
            p.batteries.len(),
        );
        let mut stock: Vec<Option<u64>> = c.stocks.iter().map(|x| x.map(u64::from)).collect();
        let mut launchers: Vec<u32> = c.launchers.iter().map(|l| l.count).collect();
        let mut ready = self.capacity.clone();
        let mut bdepot = self.depot_full.clone();
        let mut national = c.depot.clone();
        let mut lost = vec![false; nb];
        let mut rows = Vec::with_capacity(c.days as usize);
        for day in 1..=c.days {
            let dseed = day_seed(seed, day);
            // The day's campaign draws (generated salvos, relocations, maintenance, losses).
            let mut rng = stream(dseed, run, Stream::Campaign, 0);
            let (start_deployed, start_depot) = self.totals(c, &ready, &bdepot, &national);
            // 1. Deliveries and production.
            let delivered = self.arrivals[day as usize - 1].clone();
            for (n, a) in national.iter_mut().zip(&delivered) {
                *n = n.saturating_add(*a);
            }
            for (t, st) in stock.iter_mut().enumerate() {
                let (per_day, ramp) = c.production[t];
                let made = (per_day + ramp * f64::from(day - 1)).round().max(0.0) as u64;
                if let Some(st) = st {
                    *st = st.saturating_add(made);
                }
            }
            // 2. Reloads.
            for b in (0..nb).filter(|&b| !lost[b]) {
                let national = &mut national[c.battery_type[b]];
                let (capacity, full) = (self.capacity[b], self.depot_full[b]);
                reload(capacity, full, &mut ready[b], &mut bdepot[b], national);
            }
            // 3. Availability.
            let mut lost_rounds = vec![0u32; ni];
            let mut states = vec![BatteryState::Ready; nb];
            for b in 0..nb {
                let a = &c.availability[b];
                // Every battery draws the same numbers whatever its state, so that one
                // battery's draws do not shift another's.
                let u_maint = rng.random::<f64>();
                let u_reloc = rng.random::<f64>();
                let u_march = rng.random::<f64>();
                let u_loss_p = rng.random::<f64>();
                let u_loss = rng.random::<f64>();
                s.away[b] = (SimTime::ZERO, SimTime::ZERO);
                if lost[b] {
                    states[b] = BatteryState::Lost;
                    s.away[b] = (SimTime(i64::MIN), SimTime::MAX);
                    continue;
                }
                if a.maintenance_days.binary_search(&day).is_ok()
                    || u_maint < a.maintenance_rate_per_day
                {
                    states[b] = BatteryState::Maintenance;
                    s.away[b] = (SimTime(i64::MIN), SimTime::MAX);
                } else if a.relocate_days.binary_search(&day).is_ok()
                    || u_reloc < a.relocate_rate_per_day
                {
                    states[b] = BatteryState::Relocating;
                    let march = SimTime::from_s(draw(a.march_s, u_march));
                    s.away[b] = (self.day_start, self.day_start + march);
                    if u_loss < draw(a.loss_probability, u_loss_p) {
                        states[b] = BatteryState::Lost;
                        lost[b] = true;
                        s.away[b] = (SimTime(i64::MIN), SimTime::MAX);
                        let ty = c.battery_type[b];
                        lost_rounds[ty] += ready[b] + bdepot[b];
                        ready[b] = 0;
                        bdepot[b] = 0;
                    }
                }
            }
            // 4. The raid.
            let asked = self.requested(c, day, &mut rng);
            let (counts, stock_limited, launcher_limited) = self.capped(&asked, &stock, &launchers);
            s.launched.clear();
            s.launched.resize(p.threats.len(), false);
            for (g, &n) in counts.iter().enumerate() {
                let rounds = &self.group_threats[g];
                for j in spread(n, rounds.len()) {
                    s.launched[rounds[j]] = true;
                }
            }
            // 5. The replication.
            s.rounds.copy_from_slice(&ready);
            s.depot.copy_from_slice(&bdepot);
            let day_plan = Day {
                launched: &s.launched,
                rounds: &s.rounds,
                depot: &s.depot,
                away: &s.away,
            };
            let o = s.rep.run_day(p, dseed, run, &day_plan, &mut NoObserver);
            // 6. After the day.
            let mut launched = vec![0u32; nt];
            let mut requested = vec![0u32; nt];
            for (g, &ty) in c.group_type.iter().enumerate() {
                launched[ty] += counts[g];
                requested[ty] += asked[g];
            }
            let mut leakers = 0;
            let mut hits = vec![0u32; p.asset_ids.len()];
            for (i, t) in o.threats.iter().enumerate() {
                if s.launched[i] && t.fate == Fate::Leaked {
                    leakers += 1;
                    if let Some(a) = t.asset {
                        hits[a] += 1;
                    }
                }
            }
            let mut shots = vec![0u32; ni];
            let mut kills = vec![0u32; ni];
            for (b, tally) in o.batteries.iter().enumerate() {
                let ty = c.battery_type[b];
                shots[ty] += tally.shots;
                kills[ty] += tally.kills;
                ready[b] = tally.rounds_left;
                bdepot[b] -= tally.reloaded;
            }
            for (t, st) in stock.iter_mut().enumerate() {
                if let Some(st) = st {
                    *st -= u64::from(launched[t]);
                }
            }
            for (pool, left) in c.launchers.iter().zip(launchers.iter_mut()) {
                let fraction = draw(pool.loss_per_day, rng.random::<f64>());
                let gone = match Binomial::new(u64::from(*left), fraction.clamp(0.0, 1.0)) {
                    Ok(b) => b.sample(&mut rng) as u32,
                    Err(_) => 0,
                };
                *left -= gone.min(*left);
            }
            let (deployed, depot) = self.totals(c, &ready, &bdepot, &national);
            rows.push(DayRow {
                run,
                day,
                requested,
                launched,
                threat_stock: stock.clone(),
                launchers: launchers.clone(),
                stock_limited,
                launcher_limited,
                leakers,
                hits,
                shots,
                kills,
                start_deployed,
                start_depot,
                delivered,
                lost_rounds,
                deployed,
                depot,
                battery_states: states,
                defense_cost_usd: o.defense_cost_usd,
                offense_cost_usd: o.offense_cost_usd,
            });
        }
        rows
    }

    /// Rounds deployed (launchers and battery depots) and in the national depot, by
    /// interceptor type.
    fn totals(
        &self,
        c: &Campaign,
        ready: &[u32],
        bdepot: &[u32],
        national: &[u32],
    ) -> (Vec<u32>, Vec<u32>) {
        let mut deployed = vec![0u32; c.interceptor_types.len()];
        for (b, &ty) in c.battery_type.iter().enumerate() {
            deployed[ty] += ready[b] + bdepot[b];
        }
        (deployed, national.to_vec())
    }

    /// Rounds the day's raid asks of each group, at most its template count.
    fn requested(&self, c: &Campaign, day: u32, rng: &mut StreamRng) -> Vec<u32> {
        let most: Vec<u32> = self.group_threats.iter().map(|g| g.len() as u32).collect();
        let u = rng.random::<f64>();
        match &c.raids[day as usize - 1] {
            DayRaid::None => vec![0; most.len()],
            DayRaid::Explicit(counts) => {
                counts.iter().zip(&most).map(|(&n, &m)| n.min(m)).collect()
            }
            DayRaid::Generated { salvo, shares } => {
                let total = draw(*salvo, u).round().max(0.0) as u32;
                let weights: Vec<f64> = shares.iter().map(|s| s * f64::from(total)).collect();
                largest_remainder(u64::from(total), &weights)
                    .into_iter()
                    .zip(&most)
                    .map(|(n, &m)| (n as u32).min(m))
                    .collect()
            }
        }
    }

    /// The day's launches per group, capped by the missiles in stock of each type and by the
    /// launcher pools; whether each cap bit.
    fn capped(
        &self,
        asked: &[u32],
        stock: &[Option<u64>],
        launchers: &[u32],
    ) -> (Vec<u32>, bool, bool) {
        let c = &self.campaign;
        let mut counts = asked.to_vec();
        let mut stock_limited = false;
        for (t, st) in stock.iter().enumerate() {
            if let Some(st) = *st {
                stock_limited |= cap(&mut counts, |g| c.group_type[g] == t, st);
            }
        }
        let mut launcher_limited = false;
        for (pool, &left) in c.launchers.iter().zip(launchers) {
            let capacity = u64::from(left) * u64::from(pool.rounds_per_day);
            launcher_limited |= cap(
                &mut counts,
                |g| pool.threat_types.contains(&c.group_type[g]),
                capacity,
            );
        }
        (counts, stock_limited, launcher_limited)
    }
}

/// The morning reloads of a battery of `capacity` rounds on its launchers and `depot_full` in
/// its depot, with `ready` on its launchers and `depot` in its depot: its launchers from its
/// depot, then from the `national` depot of its interceptor type, which then refills its depot.
fn reload(capacity: u32, depot_full: u32, ready: &mut u32, depot: &mut u32, national: &mut u32) {
    let from_own = (capacity - *ready).min(*depot);
    *ready += from_own;
    *depot -= from_own;
    let from_national = (capacity - *ready).min(*national);
    *ready += from_national;
    *national -= from_national;
    let to_depot = depot_full.saturating_sub(*depot).min(*national);
    *depot += to_depot;
    *national -= to_depot;
}

/// The indices of `n` of a group's `total` rounds (`n` at most `total`), spread evenly over
/// them and centred: round `(2k + 1) total / 2n` for `k` from 0.
fn spread(n: u32, total: usize) -> impl Iterator<Item = usize> {
    let (n, total) = (u64::from(n), total as u64);
    (0..n).map(move |k| ((2 * k + 1) * total / (2 * n)) as usize)
}

/// A value of `range` at quantile `u` of its triangular distribution.
fn draw(range: Uncertain, u: f64) -> f64 {
    triangular(range.low, range.nominal, range.high, u)
}

/// Caps the sum of the counts of the groups that `member` selects at `limit`, sharing the cap
/// in proportion to the counts (largest remainders); whether it had to.
fn cap(counts: &mut [u32], member: impl Fn(usize) -> bool, limit: u64) -> bool {
    let total: u64 = (0..counts.len())
        .filter(|&g| member(g))
        .map(|g| u64::from(counts[g]))
        .sum();
    if total <= limit {
        return false;
    }
    let weights: Vec<f64> = (0..counts.len())
        .map(|g| if member(g) { f64::from(counts[g]) } else { 0.0 })
        .collect();
    let shared = apportion(limit, &weights);
    for g in (0..counts.len()).filter(|&g| member(g)) {
        counts[g] = (shared[g] as u32).min(counts[g]);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_shares_the_limit_in_proportion() {
        let mut counts = [30, 10, 5];
        assert!(cap(&mut counts, |g| g < 2, 20));
        assert_eq!(counts, [15, 5, 5]);
        assert!(!cap(&mut counts, |g| g < 2, 20));
    }

    #[test]
    fn a_days_launches_are_spread_evenly_over_the_groups_rounds_and_centred() {
        let of = |n, total| spread(n, total).collect::<Vec<_>>();
        assert_eq!(of(1, 8), [4]);
        assert_eq!(of(2, 8), [2, 6]);
        assert_eq!(of(3, 8), [1, 4, 6]);
        assert_eq!(of(8, 8), (0..8).collect::<Vec<_>>());
        assert!(of(0, 8).is_empty());
    }

    #[test]
    fn battery_states_are_named_as_in_campaign_parquet() {
        let names = BatteryState::ALL.map(BatteryState::name);
        assert_eq!(names, ["ready", "relocating", "maintenance", "lost"]);
    }

    #[test]
    fn launchers_reload_from_their_depot_then_the_national_one_which_refills_the_depot() {
        // (capacity, full depot); ready, battery depot, national depot: before and after.
        for ((capacity, full), before, after) in [
            // 9 from the battery's depot; the national depot refills it with 9.
            ((12, 10), (3, 10, 20), (12, 10, 11)),
            // 2 from the battery's depot, 5 (all it has) from the national one.
            ((12, 6), (0, 2, 5), (7, 0, 0)),
            // Launchers full: only the depot is refilled, up to full.
            ((12, 6), (12, 1, 3), (12, 4, 0)),
        ] {
            let (mut ready, mut depot, mut national) = before;
            reload(capacity, full, &mut ready, &mut depot, &mut national);
            assert_eq!(
                (ready, depot, national),
                after,
                "{capacity} {full} {before:?}"
            );
        }
    }
}
