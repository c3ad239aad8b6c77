//! The statistics of a batch, accumulated run by run and chunk by chunk, and the summary made
//! of them. Chunks are merged in chunk order, so the numbers do not depend on the threads.

use std::collections::BTreeMap;

use skyshield_engine::{Fate, LeakCause, Outcome, Prepared, WarningOutcome, WarningPlan};

use crate::stats::{CountStat, Histogram, Moments, ValueStat, wilson95};
use crate::summary::{
    AssetSummary, CostSummary, Fates, LEAD_BIN_S, LEAD_HISTOGRAM_CAP_S, LayerSummary, LeadSummary,
    LeakCauses, LeakerSummary, Parameters, Summary, Timing, WarningSummary, ZoneLeads, ZoneSummary,
    representative_run,
};

/// The numbers of one run, for per-run output.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub run: u64,
    pub seed: u64,
    pub leakers: u32,
    pub intercepted: u32,
    pub ignored_open_area: u32,
    pub failed_in_flight: u32,
    /// Interceptors fired per interceptor type, in the order of [`Summary::by_layer`].
    pub shots: Vec<u32>,
    /// Threats killed per interceptor type, in the same order.
    pub kills: Vec<u32>,
    /// Rounds left at the end per interceptor type, in the same order.
    pub rounds_left: Vec<u32>,
    /// Rounds loaded onto launchers from the depots per interceptor type, in the same order.
    pub reloaded: Vec<u32>,
    /// Threats landing in each asset, in the order of the prepared scenario's `asset_ids`.
    pub hits: Vec<u32>,
    pub defense_cost_usd: f64,
    pub offense_cost_usd: f64,
    /// Civil warning (0 without warning zones): zones alerted with no impact, their people,
    /// people warned too late, people-minutes under alert.
    pub false_alarm_zones: u32,
    pub false_alarm_people: f64,
    pub too_late_people: f64,
    pub people_minutes_under_alert: f64,
}

/// Statistics of a chunk of runs, merged in chunk order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Acc {
    leakers: CountStat,
    zero_leak_runs: u64,
    /// Per fate, in the order of [`Fate::ALL`].
    fates: [Moments; 4],
    /// Leakers per cause, in the order of [`LeakCause::ALL`].
    leak_causes: [Moments; LeakCause::ALL.len()],
    shots: Vec<CountStat>,
    kills: Vec<CountStat>,
    rounds_left: Vec<Moments>,
    reloaded: Vec<Moments>,
    asset_hits: Vec<CountStat>,
    asset_hit_runs: Vec<u64>,
    defense: ValueStat,
    offense: Moments,
    warning: WarningAcc,
    /// The rows of the chunk's runs, when kept.
    pub(crate) rows: Vec<RunRow>,
    /// The outcomes of the chunk's runs that are kept in full.
    pub(crate) sample: Vec<Outcome>,
}

/// Civil-warning statistics of a chunk of runs (empty without warning zones).
#[derive(Debug, Clone, Default)]
struct WarningAcc {
    siren_lead: LeadStat,
    early_lead: LeadStat,
    sirens: Moments,
    impacts: Moments,
    false_alarm_zones: Moments,
    false_alarm_people: Moments,
    too_late_people: Moments,
    people_minutes: Moments,
    /// Per zone: alert periods, impacts, minutes under alert per run; runs with an alert, an
    /// impact, a warning too late.
    zone_alerts: Vec<Moments>,
    zone_impacts: Vec<Moments>,
    zone_minutes: Vec<Moments>,
    zone_alert_runs: Vec<u64>,
    zone_impact_runs: Vec<u64>,
    zone_too_late_runs: Vec<u64>,
    /// Per zone: runs alerted with no impact; the lead time of each impact in it.
    zone_false_alarm_runs: Vec<u64>,
    zone_leads: Vec<ValueStat>,
}

impl WarningAcc {
    fn new(zones: usize) -> Self {
        WarningAcc {
            zone_alerts: vec![Moments::default(); zones],
            zone_impacts: vec![Moments::default(); zones],
            zone_minutes: vec![Moments::default(); zones],
            zone_alert_runs: vec![0; zones],
            zone_impact_runs: vec![0; zones],
            zone_too_late_runs: vec![0; zones],
            zone_false_alarm_runs: vec![0; zones],
            zone_leads: vec![ValueStat::default(); zones],
            ..WarningAcc::default()
        }
    }

    fn add(&mut self, w: &WarningOutcome) {
        for impact in &w.impacts {
            self.siren_lead.add(impact.lead_s);
            self.zone_leads[impact.zone].add(impact.lead_s);
        }
        for &lead in &w.early_warning_lead_s {
            self.early_lead.add(lead);
        }
        self.sirens.add(w.sirens.len() as f64);
        self.impacts.add(w.impacts.len() as f64);
        self.false_alarm_zones.add(f64::from(w.false_alarm_zones));
        self.false_alarm_people.add(w.false_alarm_people);
        self.too_late_people.add(w.too_late_people);
        self.people_minutes.add(w.people_minutes);
        for (z, tally) in w.zones.iter().enumerate() {
            self.zone_alerts[z].add(f64::from(tally.alerts));
            self.zone_impacts[z].add(f64::from(tally.impacts));
            self.zone_minutes[z].add(tally.alert_s / 60.0);
            self.zone_alert_runs[z] += u64::from(tally.alerts > 0);
            self.zone_impact_runs[z] += u64::from(tally.impacts > 0);
            self.zone_too_late_runs[z] += u64::from(tally.too_late);
            self.zone_false_alarm_runs[z] += u64::from(tally.alerts > 0 && tally.impacts == 0);
        }
    }

    fn merge(&mut self, o: &WarningAcc) {
        self.siren_lead.merge(&o.siren_lead);
        self.early_lead.merge(&o.early_lead);
        for (a, b) in [
            (&mut self.sirens, &o.sirens),
            (&mut self.impacts, &o.impacts),
            (&mut self.false_alarm_zones, &o.false_alarm_zones),
            (&mut self.false_alarm_people, &o.false_alarm_people),
            (&mut self.too_late_people, &o.too_late_people),
            (&mut self.people_minutes, &o.people_minutes),
        ] {
            a.merge(b);
        }
        for (v, w) in [
            (&mut self.zone_alerts, &o.zone_alerts),
            (&mut self.zone_impacts, &o.zone_impacts),
            (&mut self.zone_minutes, &o.zone_minutes),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                a.merge(b);
            }
        }
        for (v, w) in [
            (&mut self.zone_alert_runs, &o.zone_alert_runs),
            (&mut self.zone_impact_runs, &o.zone_impact_runs),
            (&mut self.zone_too_late_runs, &o.zone_too_late_runs),
            (&mut self.zone_false_alarm_runs, &o.zone_false_alarm_runs),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                *a += b;
            }
        }
        for (a, b) in self.zone_leads.iter_mut().zip(&o.zone_leads) {
            a.merge(b);
        }
    }

    fn summary(&self, w: &WarningPlan, runs: u64) -> WarningSummary {
        let fraction = |k: u64| {
            if runs == 0 {
                0.0
            } else {
                k as f64 / runs as f64
            }
        };
        let zones = w
            .zones
            .iter()
            .enumerate()
            .map(|(z, zone)| {
                (
                    zone.name.clone(),
                    ZoneSummary {
                        population: zone.population,
                        shelter_time_s: zone.shelter_time_s,
                        alerts_mean: self.zone_alerts[z].mean,
                        impacts_mean: self.zone_impacts[z].mean,
                        p_alert: fraction(self.zone_alert_runs[z]),
                        p_impact: fraction(self.zone_impact_runs[z]),
                        p_too_late: fraction(self.zone_too_late_runs[z]),
                        p_false_alarm: fraction(self.zone_false_alarm_runs[z]),
                        alert_minutes_mean: self.zone_minutes[z].mean,
                        siren_lead_s: ZoneLeads::of(&self.zone_leads[z]),
                    },
                )
            })
            .collect();
        WarningSummary {
            zone_count: w.zones.len(),
            population: w.zones.iter().map(|z| z.population).sum(),
            confidence: w.confidence,
            region_sigmas: w.sigmas,
            min_lead_s: w.min_lead_s,
            warn_debris: w.warn_debris,
            all_clear_s: w.all_clear_s,
            siren_lead_s: self.siren_lead.summary(),
            early_warning_lead_s: self.early_lead.summary(),
            sirens_mean: self.sirens.mean,
            impacts_in_zones_mean: self.impacts.mean,
            false_alarm_zones_mean: self.false_alarm_zones.mean,
            false_alarm_zones_ci95: self.false_alarm_zones.ci95_nonnegative(),
            false_alarm_people_mean: self.false_alarm_people.mean,
            false_alarm_people_ci95: self.false_alarm_people.ci95_nonnegative(),
            too_late_people_mean: self.too_late_people.mean,
            too_late_people_ci95: self.too_late_people.ci95_nonnegative(),
            people_minutes_under_alert_mean: self.people_minutes.mean,
            people_minutes_under_alert_ci95: self.people_minutes.ci95_nonnegative(),
            zones,
        }
    }
}

/// Lead times: moments and quantiles ([`ValueStat`]), and counts in bins of [`LEAD_BIN_S`] up to
/// [`LEAD_HISTOGRAM_CAP_S`] ([`Histogram`] of bin indices).
#[derive(Debug, Clone, Default)]
struct LeadStat {
    value: ValueStat,
    bins: Histogram,
}

impl LeadStat {
    fn add(&mut self, lead_s: f64) {
        self.value.add(lead_s);
        let last = (LEAD_HISTOGRAM_CAP_S / LEAD_BIN_S) as u32;
        // `as` saturates: negative leads fall in bin 0.
        self.bins
            .add(((lead_s / LEAD_BIN_S).floor() as u32).min(last));
    }

    fn merge(&mut self, other: &LeadStat) {
        self.value.merge(&other.value);
        self.bins.merge(&other.bins);
    }

    fn summary(&self) -> LeadSummary {
        let v = &self.value;
        let some = |x: f64| (v.moments.n > 0).then_some(x);
        let q = v.quantiles();
        LeadSummary {
            count: v.moments.n,
            mean: some(v.moments.mean),
            sd: some(v.moments.sd()),
            p5: some(q.p5),
            p50: some(q.p50),
            p95: some(q.p95),
            histogram_bin_s: LEAD_BIN_S,
            histogram_cap_s: LEAD_HISTOGRAM_CAP_S,
            histogram: self.bins.counts.clone(),
        }
    }
}

impl Acc {
    pub(crate) fn new(layers: usize, assets: usize, zones: usize) -> Self {
        Acc {
            warning: WarningAcc::new(zones),
            shots: vec![CountStat::default(); layers],
            kills: vec![CountStat::default(); layers],
            rounds_left: vec![Moments::default(); layers],
            reloaded: vec![Moments::default(); layers],
            asset_hits: vec![CountStat::default(); assets],
            asset_hit_runs: vec![0; assets],
            ..Acc::default()
        }
    }

    /// Adds the outcome of a run; returns its leakers.
    pub(crate) fn add(
        &mut self,
        o: &Outcome,
        layer_of: &[usize],
        seed: u64,
        keep: bool,
        scratch: &mut Scratch,
    ) -> u32 {
        let counts = o.tally.fates;
        let count = |f: Fate| counts[f.index()];
        let leakers = count(Fate::Leaked);
        self.leakers.add(leakers);
        self.zero_leak_runs += u64::from(leakers == 0);
        for (m, &c) in self.fates.iter_mut().zip(&counts) {
            m.add(f64::from(c));
        }
        for (m, &c) in self.leak_causes.iter_mut().zip(&o.tally.leak_causes) {
            m.add(f64::from(c));
        }
        scratch.shots.iter_mut().for_each(|x| *x = 0);
        scratch.kills.iter_mut().for_each(|x| *x = 0);
        scratch.rounds_left.iter_mut().for_each(|x| *x = 0);
        scratch.reloaded.iter_mut().for_each(|x| *x = 0);
        for (b, tally) in o.batteries.iter().enumerate() {
            let l = layer_of[b];
            scratch.shots[l] += tally.shots;
            scratch.kills[l] += tally.kills;
            scratch.rounds_left[l] += tally.rounds_left;
            scratch.reloaded[l] += tally.reloaded;
        }
        for l in 0..self.shots.len() {
            self.shots[l].add(scratch.shots[l]);
            self.kills[l].add(scratch.kills[l]);
            self.rounds_left[l].add(f64::from(scratch.rounds_left[l]));
            self.reloaded[l].add(f64::from(scratch.reloaded[l]));
        }
        scratch.hits.iter_mut().for_each(|x| *x = 0);
        if !scratch.hits.is_empty() {
            for t in &o.threats {
                if let (Fate::Leaked, Some(a)) = (t.fate, t.asset) {
                    scratch.hits[a] += 1;
                }
            }
        }
        for (a, &h) in scratch.hits.iter().enumerate() {
            self.asset_hits[a].add(h);
            self.asset_hit_runs[a] += u64::from(h > 0);
        }
        self.defense.add(o.defense_cost_usd);
        self.offense.add(o.offense_cost_usd);
        if !self.warning.zone_alerts.is_empty() {
            self.warning.add(&o.warning);
        }
        if keep {
            self.rows.push(RunRow {
                run: o.run,
                seed,
                leakers,
                intercepted: count(Fate::Intercepted),
                ignored_open_area: count(Fate::IgnoredOpenArea),
                failed_in_flight: count(Fate::FailedInFlight),
                shots: scratch.shots.clone(),
                kills: scratch.kills.clone(),
                rounds_left: scratch.rounds_left.clone(),
                reloaded: scratch.reloaded.clone(),
                hits: scratch.hits.clone(),
                defense_cost_usd: o.defense_cost_usd,
                offense_cost_usd: o.offense_cost_usd,
                false_alarm_zones: o.warning.false_alarm_zones,
                false_alarm_people: o.warning.false_alarm_people,
                too_late_people: o.warning.too_late_people,
                people_minutes_under_alert: o.warning.people_minutes,
            });
        }
        leakers
    }

    pub(crate) fn merge(&mut self, o: Acc) {
        self.leakers.merge(&o.leakers);
        self.zero_leak_runs += o.zero_leak_runs;
        for (a, b) in self.fates.iter_mut().zip(&o.fates) {
            a.merge(b);
        }
        for (a, b) in self.leak_causes.iter_mut().zip(&o.leak_causes) {
            a.merge(b);
        }
        for (v, w) in [
            (&mut self.shots, &o.shots),
            (&mut self.kills, &o.kills),
            (&mut self.asset_hits, &o.asset_hits),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                a.merge(b);
            }
        }
        for (v, w) in [
            (&mut self.rounds_left, &o.rounds_left),
            (&mut self.reloaded, &o.reloaded),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                a.merge(b);
            }
        }
        for (a, b) in self.asset_hit_runs.iter_mut().zip(&o.asset_hit_runs) {
            *a += b;
        }
        self.defense.merge(&o.defense);
        self.offense.merge(&o.offense);
        self.warning.merge(&o.warning);
        self.rows.extend(o.rows);
        self.sample.extend(o.sample);
    }
}

/// Per-thread buffers reused across runs.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    shots: Vec<u32>,
    kills: Vec<u32>,
    rounds_left: Vec<u32>,
    reloaded: Vec<u32>,
    hits: Vec<u32>,
}

impl Scratch {
    pub(crate) fn new(layers: usize, assets: usize) -> Self {
        Scratch {
            shots: vec![0; layers],
            kills: vec![0; layers],
            rounds_left: vec![0; layers],
            reloaded: vec![0; layers],
            hits: vec![0; assets],
        }
    }
}

/// The summary of a batch of `prepared` under master `seed`, from its statistics `acc`; its
/// layers are `layer_names`, battery `b` in layer `layer_of[b]`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn summarise(
    p: &Prepared,
    seed: u64,
    parameters: Parameters,
    layer_names: &[String],
    layer_of: &[usize],
    acc: &Acc,
    wall_s: f64,
    threads: usize,
) -> Summary {
    let runs = acc.leakers.moments.n;
    let leakers = acc.leakers.summary();
    let by_layer = layer_names
        .iter()
        .enumerate()
        .map(|(l, name)| {
            let batteries = || {
                p.batteries
                    .iter()
                    .zip(layer_of)
                    .filter(|(_, k)| **k == l)
                    .map(|(b, _)| b)
            };
            let unlimited = batteries().any(|b| b.rounds == u32::MAX);
            let rounds: u64 = batteries().map(|b| u64::from(b.rounds)).sum();
            let price = p
                .batteries
                .iter()
                .zip(layer_of)
                .find(|(_, k)| **k == l)
                .map_or(0.0, |(b, _)| b.cost_usd);
            (
                name.clone(),
                LayerSummary {
                    shots: acc.shots[l].moments.mean,
                    kills: acc.kills[l].moments.mean,
                    shots_ci95: acc.shots[l].moments.ci95_nonnegative(),
                    kills_ci95: acc.kills[l].moments.ci95_nonnegative(),
                    shots_stats: acc.shots[l].summary(),
                    kills_stats: acc.kills[l].summary(),
                    rounds_left: (!unlimited).then_some(acc.rounds_left[l].mean),
                    rounds: (!unlimited).then_some(rounds),
                    reloaded: acc.reloaded[l].mean,
                    cost_usd: acc.shots[l].moments.mean * price,
                },
            )
        })
        .collect();
    let assets = p
        .asset_ids
        .iter()
        .enumerate()
        .map(|(a, id)| {
            let p_hit = if runs == 0 {
                0.0
            } else {
                acc.asset_hit_runs[a] as f64 / runs as f64
            };
            (
                id.clone(),
                AssetSummary {
                    hits_mean: acc.asset_hits[a].moments.mean,
                    hits: acc.asset_hits[a].summary(),
                    p_hit,
                    p_hit_ci95: wilson95(acc.asset_hit_runs[a], runs),
                },
            )
        })
        .collect::<BTreeMap<_, _>>();
    Summary {
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: p.name.clone(),
        runs,
        seed,
        parameters,
        threats: p.threats.len(),
        leakers: LeakerSummary {
            mean: leakers.mean,
            sd: leakers.sd,
            ci95: leakers.ci95,
            p_zero: if runs == 0 {
                0.0
            } else {
                acc.zero_leak_runs as f64 / runs as f64
            },
            p_zero_ci95: wilson95(acc.zero_leak_runs, runs),
            quantiles: leakers.quantiles,
            histogram: leakers.histogram,
        },
        fates: Fates {
            intercepted: acc.fates[Fate::Intercepted.index()].mean,
            leaked: acc.fates[Fate::Leaked.index()].mean,
            ignored_open_area: acc.fates[Fate::IgnoredOpenArea.index()].mean,
            failed_in_flight: acc.fates[Fate::FailedInFlight.index()].mean,
        },
        leak_causes: Some(LeakCauses(acc.leak_causes.map(|m| m.mean))),
        by_layer,
        cost_usd: CostSummary {
            defense: acc.defense.moments.mean,
            defense_sd: acc.defense.moments.sd(),
            defense_quantiles: acc.defense.quantiles(),
            defense_quantiles_exact: acc.defense.exact(),
            offense: acc.offense.mean,
            exchange_ratio: if acc.offense.mean > 0.0 {
                Some(acc.defense.moments.mean / acc.offense.mean)
            } else {
                None
            },
            defense_ci95: acc.defense.moments.ci95_nonnegative(),
        },
        assets,
        warning: p.warning.as_ref().map(|w| acc.warning.summary(w, runs)),
        timing: Timing {
            wall_s,
            runs_per_s: if wall_s > 0.0 {
                runs as f64 / wall_s
            } else {
                0.0
            },
            threads,
            prepare_s: p.prepare_s,
        },
        representative_run: representative_run(&acc.sample),
        uncertainty: None,
        reported: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_times_fall_in_bins_capped_at_an_hour() {
        // Bins of 10 s up to the cap of 3600 s: a negative lead in the first, a lead beyond the
        // cap in the last (bin 360).
        let mut leads = LeadStat::default();
        for lead_s in [-5.0, 15.0, 19.9, 5000.0] {
            leads.add(lead_s);
        }
        let s = leads.summary();
        assert_eq!(s.count, 4);
        let last = (LEAD_HISTOGRAM_CAP_S / LEAD_BIN_S) as usize;
        assert_eq!(s.histogram.len(), last + 1);
        assert_eq!(
            (s.histogram[0], s.histogram[1], s.histogram[last]),
            (1, 2, 1)
        );
        assert_eq!(s.histogram.iter().sum::<u64>(), 4);
    }

    #[test]
    fn no_lead_time_gives_no_statistic() {
        let s = LeadStat::default().summary();
        assert_eq!(s.count, 0);
        assert_eq!(
            (s.mean, s.sd, s.p5, s.p50, s.p95),
            (None, None, None, None, None)
        );
        assert!(s.histogram.is_empty());
    }
}
