//! Break points on the defender's side: the smallest raid that exhausts a layer, and the
//! rounds or batteries a defense needs for an asset to take no hit with a given probability.
//!
//! A [`Question`] names a level (the raid's size, a battery's ready rounds, the copies of a
//! battery), the variant of the scenario at each level, and an event of a run (the layer has no
//! ready round left at its end; no threat lands in the asset, or anywhere). The event's
//! probability at a level is estimated from a batch of runs; every level is played on the same
//! seed, so run `k` of every level draws the same numbers for the elements the levels share
//! (common random numbers) and the estimates move smoothly with the level.
//!
//! The break point is the smallest level whose estimate reaches the target probability `p`.
//! The search assumes that the probability does not fall as the level grows: it doubles the
//! level from the scenario's own until the whole 95 % Wilson interval of the estimate is at or
//! above `p` (or the largest level allowed), then bisects. Its 95 % interval runs from the
//! smallest level whose Wilson interval reaches `p` (below it, `p` is excluded) to the smallest
//! level whose whole Wilson interval is at or above `p`. Every level played is reported, so a
//! departure from the assumption shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use skyshield_core::apportion;
use skyshield_engine::{PrepareError, prepare};
use skyshield_scenario::{RaidGroup, Scenario, ScenarioKind, did_you_mean};

use crate::stats::wilson95;
use crate::{BatchError, BatchOptions, CancelToken, Execution, Overrides, RunRow, run_batch};

/// What is searched for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "question")]
pub enum Question {
    /// The smallest raid, in threats, whose runs leave the interceptor type `layer` (a layer
    /// of an abstract scenario) with no ready round. The raid grows in proportion to the
    /// scenario's (each group, and each pulse of a group, by largest remainder), or only the
    /// raid group `group` when given.
    Exhaustion {
        layer: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        group: Option<String>,
    },
    /// The fewest ready rounds of battery `battery` (a layer of an abstract scenario) for no
    /// threat to land in `asset` (with no asset: no leaker at all).
    Rounds {
        battery: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        asset: Option<String>,
    },
    /// The fewest batteries like `battery` (itself and copies of it at its place, sharing its
    /// radar) for no threat to land in `asset` (with no asset: no leaker at all).
    Batteries {
        battery: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        asset: Option<String>,
    },
}

impl Question {
    /// What the level counts.
    pub fn level_name(&self) -> &'static str {
        match self {
            Question::Exhaustion { .. } => "threats in the raid",
            Question::Rounds { .. } => "ready rounds",
            Question::Batteries { .. } => "batteries",
        }
    }

    /// The target probability when none is given: 0.5 for a raid exhausting a layer (as likely
    /// as not), 0.9 for an asset taking no hit.
    pub fn default_probability(&self) -> f64 {
        match self {
            Question::Exhaustion { .. } => 0.5,
            _ => 0.9,
        }
    }

    /// The event whose probability is searched, in words.
    pub fn event(&self) -> String {
        let landing = |asset: &Option<String>| match asset {
            Some(a) => format!("no threat lands in `{a}`"),
            None => "no threat leaks".to_string(),
        };
        match self {
            Question::Exhaustion { layer, .. } => format!("`{layer}` has no ready round left"),
            Question::Rounds { asset, .. } | Question::Batteries { asset, .. } => landing(asset),
        }
    }
}

/// The most batteries a search may place in one variant.
pub const MAX_BATTERIES: u32 = 1000;

/// How a search is run.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Target probability of the event, in (0, 1] (default: [`Question::default_probability`]).
    pub probability: Option<f64>,
    /// Runs per level.
    pub runs: u64,
    /// Master seed of every level.
    pub seed: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Every parameter at its nominal value instead of drawn in each run.
    pub nominal: bool,
    /// The largest level searched (default: 16 batteries, or 16 times the scenario's raid or
    /// rounds and at least 64, a raid no larger than `max_threats`).
    pub max_level: Option<u32>,
    /// The most threats a raid may have ([`skyshield_scenario::Limits::threats`]).
    pub max_threats: u64,
}

/// One level played.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub level: u32,
    pub runs: u64,
    /// Runs in which the event happened.
    pub successes: u64,
    pub probability: f64,
    pub probability_ci95: [f64; 2],
}

/// The answer of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakPoint {
    pub scenario: String,
    #[serde(flatten)]
    pub question: Question,
    /// What the level counts.
    pub level_name: String,
    /// The event, in words.
    pub event: String,
    /// Target probability.
    pub probability: f64,
    /// The level of the scenario as written.
    pub scenario_level: u32,
    /// The largest level searched.
    pub max_level: u32,
    /// The break point: the smallest level whose estimate reaches the target; `None` when no
    /// level up to `max_level` does.
    pub level: Option<u32>,
    /// Its 95 % interval; an end is `None` when it lies beyond `max_level`.
    pub level_ci95: [Option<u32>; 2],
    pub runs_per_level: u64,
    pub seed: u64,
    /// Every level played, in increasing order.
    pub levels: Vec<Level>,
}

/// Why a search could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BreakPointError {
    /// The question does not fit the scenario (an unknown id, a layer without a round limit).
    #[error("{0}")]
    Question(String),
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    #[error(transparent)]
    Batch(#[from] BatchError),
}

fn unknown<'a>(what: &str, id: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let hint = did_you_mean(id, known.clone());
    let list: Vec<&str> = known.into_iter().collect();
    format!(
        "the scenario has no {what} `{id}`{hint} (it has: {})",
        list.join(", ")
    )
}

/// The variant of `scenario` at `level` of `question`; its campaign, when it has one, is
/// dropped (a search plays the scenario's raid once).
fn variant(scenario: &Scenario, question: &Question, level: u32) -> Scenario {
    let mut s = scenario.clone();
    s.campaign = None;
    match (&mut s.kind, question) {
        (ScenarioKind::Abstract(a), Question::Exhaustion { .. }) => a.threats = level,
        (ScenarioKind::Abstract(a), Question::Rounds { battery, .. }) => {
            if let Some(l) = a.layers.iter_mut().find(|l| &l.id == battery) {
                l.rounds = Some(level);
            }
        }
        (ScenarioKind::Layered(l), Question::Exhaustion { group, .. }) => {
            let grows = |g: &RaidGroup| group.as_ref().is_none_or(|id| &g.id == id);
            let fixed: u64 = l
                .raid
                .iter()
                .filter(|g| !grows(g))
                .map(|g| u64::from(g.count))
                .sum();
            let weights: Vec<f64> = l
                .raid
                .iter()
                .map(|g| if grows(g) { f64::from(g.count) } else { 0.0 })
                .collect();
            let grown = apportion(u64::from(level).saturating_sub(fixed), &weights);
            for (g, n) in l.raid.iter_mut().zip(grown) {
                if !grows(g) {
                    continue;
                }
                let pulses: Vec<f64> = g.pulses.iter().map(|p| f64::from(p.count)).collect();
                for (p, c) in g.pulses.iter_mut().zip(apportion(n, &pulses)) {
                    p.count = c as u32;
                }
                g.pulses.retain(|p| p.count > 0);
                g.count = n as u32;
            }
            l.raid.retain(|g| g.count > 0);
        }
        (ScenarioKind::Layered(l), Question::Rounds { battery, .. }) => {
            if let Some(b) = l.batteries.iter_mut().find(|b| &b.id == battery) {
                b.rounds = level;
            }
        }
        (ScenarioKind::Layered(l), Question::Batteries { battery, .. }) => {
            if let Some(k) = l.batteries.iter().position(|b| &b.id == battery) {
                let original = l.batteries.remove(k);
                for copy in 0..level {
                    let mut b = original.clone();
                    if copy > 0 {
                        b.id = format!("{}-copy-{copy}", original.id);
                    }
                    l.batteries.insert(k + copy as usize, b);
                }
            }
        }
        (ScenarioKind::Abstract(_), Question::Batteries { .. }) => {}
    }
    s
}

/// What a search checks of a scenario before it plays it: the question's ids exist, and its
/// starting level and smallest level.
fn check(scenario: &Scenario, question: &Question) -> Result<(u32, u32), BreakPointError> {
    let q = |m: String| BreakPointError::Question(m);
    let asset_known = |asset: &Option<String>| -> Result<(), BreakPointError> {
        let (Some(id), ScenarioKind::Layered(l)) = (asset, &scenario.kind) else {
            return match asset {
                Some(_) => Err(q(
                    "an abstract scenario has no assets: leave out the asset".into()
                )),
                None => Ok(()),
            };
        };
        if l.asset_index(id).is_none() {
            return Err(q(unknown(
                "asset",
                id,
                l.assets.iter().map(|a| a.id.as_str()),
            )));
        }
        Ok(())
    };
    match (&scenario.kind, question) {
        (ScenarioKind::Abstract(a), Question::Exhaustion { layer, group }) => {
            if group.is_some() {
                return Err(q(
                    "an abstract scenario has no raid groups: leave out the group".into(),
                ));
            }
            let l = a.layers.iter().find(|l| &l.id == layer).ok_or_else(|| {
                q(unknown(
                    "layer",
                    layer,
                    a.layers.iter().map(|l| l.id.as_str()),
                ))
            })?;
            if l.rounds.is_none() {
                return Err(q(format!(
                    "layer `{layer}` has no `rounds`: its interceptors are unlimited, no raid exhausts it"
                )));
            }
            Ok((a.threats, 1))
        }
        (ScenarioKind::Abstract(a), Question::Rounds { battery, asset }) => {
            asset_known(asset)?;
            let l = a.layers.iter().find(|l| &l.id == battery).ok_or_else(|| {
                q(unknown(
                    "layer",
                    battery,
                    a.layers.iter().map(|l| l.id.as_str()),
                ))
            })?;
            Ok((l.rounds.unwrap_or(0), 0))
        }
        (ScenarioKind::Abstract(_), Question::Batteries { .. }) => Err(q(
            "an abstract scenario has layers, not batteries: ask for the rounds of a layer".into(),
        )),
        (ScenarioKind::Layered(l), Question::Exhaustion { layer, group }) => {
            let mut types: Vec<&str> = l
                .batteries
                .iter()
                .map(|b| b.interceptor.id.as_str())
                .collect();
            types.sort_unstable();
            types.dedup();
            if !types.contains(&layer.as_str()) {
                return Err(q(unknown("interceptor type (layer)", layer, types)));
            }
            match group {
                Some(id) => {
                    let g = l.raid.iter().find(|g| &g.id == id).ok_or_else(|| {
                        q(unknown(
                            "raid group",
                            id,
                            l.raid.iter().map(|g| g.id.as_str()),
                        ))
                    })?;
                    let others = l.threat_count() as u32 - g.count;
                    Ok((l.threat_count() as u32, others + 1))
                }
                None => Ok((l.threat_count() as u32, 1)),
            }
        }
        (ScenarioKind::Layered(l), Question::Rounds { battery, asset })
        | (ScenarioKind::Layered(l), Question::Batteries { battery, asset }) => {
            asset_known(asset)?;
            let b = l
                .batteries
                .iter()
                .find(|b| &b.id == battery)
                .ok_or_else(|| {
                    q(unknown(
                        "battery",
                        battery,
                        l.batteries.iter().map(|b| b.id.as_str()),
                    ))
                })?;
            Ok(match question {
                Question::Rounds { .. } => (b.rounds, 0),
                _ => (1, 0),
            })
        }
    }
}

/// Whether the event of `question` happened in a run, given the index of its layer or asset
/// in the run's rows (`None`: no leaker at all).
fn happened(question: &Question, index: Option<usize>, row: &RunRow) -> bool {
    match (question, index) {
        (Question::Exhaustion { .. }, Some(l)) => row.rounds_left[l] == 0,
        // A layer the variant lacks is never exhausted.
        (Question::Exhaustion { .. }, None) => false,
        (_, Some(a)) => row.hits[a] == 0,
        (_, None) => row.leakers == 0,
    }
}

/// Plays `question`'s levels of `scenario` and gives its break point; `on_level` hears each
/// level as it is played; `cancel` stops the search (a [`BatchError::Cancelled`]).
pub fn search(
    scenario: &Scenario,
    question: &Question,
    opts: &SearchOptions,
    cancel: &CancelToken,
    on_level: &mut dyn FnMut(&Level),
) -> Result<BreakPoint, BreakPointError> {
    let (start, lowest) = check(scenario, question)?;
    let p = opts
        .probability
        .unwrap_or_else(|| question.default_probability());
    if !(p > 0.0 && p <= 1.0) {
        return Err(BreakPointError::Question(format!(
            "the target probability {p} is not in (0, 1]"
        )));
    }
    let raid_cap = u32::try_from(opts.max_threats).unwrap_or(u32::MAX);
    let max_level = match (question, opts.max_level) {
        (Question::Exhaustion { .. }, Some(m)) if m > raid_cap => {
            return Err(BreakPointError::Question(format!(
                "the largest level, {m} threats, is over the limit of {raid_cap} threats per scenario"
            )));
        }
        (Question::Batteries { .. }, Some(m)) if m > MAX_BATTERIES => {
            return Err(BreakPointError::Question(format!(
                "the largest level, {m} batteries, is over the limit of {MAX_BATTERIES}"
            )));
        }
        (_, Some(m)) => m,
        (Question::Batteries { .. }, None) => 16,
        (Question::Exhaustion { .. }, None) => start.saturating_mul(16).max(64).min(raid_cap),
        (Question::Rounds { .. }, None) => start.saturating_mul(16).max(64),
    }
    .max(lowest);
    let mut played: BTreeMap<u32, Level> = BTreeMap::new();
    let mut play = |level: u32| -> Result<Level, BreakPointError> {
        if let Some(l) = played.get(&level) {
            return Ok(*l);
        }
        let prepared = prepare(&variant(scenario, question, level))?;
        let batch_opts = BatchOptions::new(
            &prepared,
            Overrides {
                runs: Some(opts.runs),
                seed: Some(opts.seed),
                threads: Some(opts.threads),
                nominal: opts.nominal,
                keep_runs: true,
                sample_runs: None,
            },
        );
        let batch = run_batch(
            &prepared,
            &batch_opts,
            Execution::default().cancel_on(cancel),
        )?;
        // The run's rows list layers in the order of the summary's, assets in the prepared
        // scenario's.
        let index = match question {
            Question::Exhaustion { layer, .. } => {
                batch.summary.by_layer.keys().position(|t| t == layer)
            }
            Question::Rounds { asset, .. } | Question::Batteries { asset, .. } => asset
                .as_ref()
                .and_then(|a| prepared.asset_ids.iter().position(|id| id == a)),
        };
        let successes = batch
            .rows
            .iter()
            .filter(|row| happened(question, index, row))
            .count() as u64;
        let runs = batch.rows.len() as u64;
        let l = Level {
            level,
            runs,
            successes,
            probability: successes as f64 / runs.max(1) as f64,
            probability_ci95: wilson95(successes, runs),
        };
        played.insert(level, l);
        on_level(&l);
        Ok(l)
    };
    let surely_above = |l: &Level| l.probability_ci95[0] >= p;
    // Doubling from the scenario's level to one surely above the target, or the largest.
    let mut high = start
        .clamp(lowest, max_level)
        .max(lowest.saturating_add(1).min(max_level));
    while !surely_above(&play(high)?) && high < max_level {
        high = high.saturating_mul(2).min(max_level);
    }
    let mut smallest = |reaches: &dyn Fn(&Level) -> bool| -> Result<Option<u32>, BreakPointError> {
        if !reaches(&play(high)?) {
            return Ok(None);
        }
        let (mut lo, mut hi) = (lowest, high);
        if reaches(&play(lo)?) {
            return Ok(Some(lo));
        }
        // `lo` does not reach, `hi` does.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if reaches(&play(mid)?) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(Some(hi))
    };
    let level = smallest(&|l: &Level| l.probability >= p)?;
    let low = smallest(&|l: &Level| l.probability_ci95[1] >= p)?;
    let high_end = smallest(&surely_above)?;
    Ok(BreakPoint {
        scenario: scenario.name.clone(),
        question: question.clone(),
        level_name: question.level_name().to_string(),
        event: question.event(),
        probability: p,
        scenario_level: start,
        max_level,
        level,
        level_ci95: [low, high_end],
        runs_per_level: opts.runs,
        seed: opts.seed,
        levels: played.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_scenario() -> Scenario {
        skyshield_scenario::from_str(
            skyshield_scenario::DEFAULT_SCENARIO,
            std::path::Path::new("default.yaml"),
        )
        .unwrap_or_else(|d| panic!("{d}"))
    }

    fn layered(s: &Scenario) -> &skyshield_scenario::LayeredScenario {
        s.as_layered().expect("layered")
    }

    #[test]
    fn a_raid_grows_in_proportion_or_by_one_group() {
        let s = default_scenario();
        let before = layered(&s);
        let whole = Question::Exhaustion {
            layer: "x".into(),
            group: None,
        };
        for size in [1, 17, 280, 1000] {
            let v = variant(&s, &whole, size);
            let l = layered(&v);
            assert_eq!(l.threat_count(), u64::from(size));
            for g in &l.raid {
                assert!(g.count > 0);
                assert_eq!(
                    g.pulses.iter().map(|p| p.count).sum::<u32>(),
                    g.count,
                    "{}",
                    g.id
                );
                assert!(g.pulses.iter().all(|p| p.count > 0));
            }
        }
        let first = before.raid[0].id.clone();
        let one = Question::Exhaustion {
            layer: "x".into(),
            group: Some(first.clone()),
        };
        let others = before.threat_count() as u32 - before.raid[0].count;
        let v = variant(&s, &one, others + 3);
        let l = layered(&v);
        assert_eq!(l.raid[0].count, 3);
        for (a, b) in l.raid.iter().zip(&before.raid).skip(1) {
            assert_eq!(a.count, b.count, "{}", a.id);
        }
    }

    #[test]
    fn batteries_are_copied_at_their_place_or_removed() {
        let s = default_scenario();
        let before = layered(&s);
        let id = before.batteries[0].id.clone();
        let q = Question::Batteries {
            battery: id.clone(),
            asset: None,
        };
        let v = variant(&s, &q, 3);
        let l = layered(&v);
        assert_eq!(l.batteries.len(), before.batteries.len() + 2);
        let copies: Vec<&str> = l.batteries[..3].iter().map(|b| b.id.as_str()).collect();
        assert_eq!(
            copies,
            [id.clone(), format!("{id}-copy-1"), format!("{id}-copy-2")]
        );
        assert!(
            l.batteries[..3]
                .iter()
                .all(|b| b.position == before.batteries[0].position)
        );
        let v = variant(&s, &q, 0);
        assert!(layered(&v).batteries.iter().all(|b| b.id != id));
    }

    #[test]
    fn each_question_names_its_level_its_event_and_its_default_target() {
        let exhaustion = Question::Exhaustion {
            layer: "arrow-2".into(),
            group: None,
        };
        let rounds = Question::Rounds {
            battery: "b".into(),
            asset: Some("city".into()),
        };
        let batteries = Question::Batteries {
            battery: "b".into(),
            asset: None,
        };
        let said = |q: &Question| (q.level_name(), q.event(), q.default_probability());
        assert_eq!(
            said(&exhaustion),
            (
                "threats in the raid",
                "`arrow-2` has no ready round left".into(),
                0.5
            )
        );
        assert_eq!(
            said(&rounds),
            ("ready rounds", "no threat lands in `city`".into(), 0.9)
        );
        assert_eq!(
            said(&batteries),
            ("batteries", "no threat leaks".into(), 0.9)
        );
    }

    #[test]
    fn a_rounds_variant_sets_that_batterys_rounds_alone() {
        let s = default_scenario();
        let before = layered(&s);
        let q = Question::Rounds {
            battery: before.batteries[1].id.clone(),
            asset: None,
        };
        let v = variant(&s, &q, 7);
        for (k, (a, b)) in layered(&v)
            .batteries
            .iter()
            .zip(&before.batteries)
            .enumerate()
        {
            let expected = if k == 1 { 7 } else { b.rounds };
            assert_eq!(a.rounds, expected, "{}", a.id);
        }
    }

    #[test]
    fn a_group_grown_or_shrunk_keeps_only_pulses_that_launch() {
        // Al Asad 2020: the first group fires 11 missiles in four pulses of 3, 3, 3 and 2.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/ain-al-asad-2020.yaml");
        let s = skyshield_scenario::load(&path).expect("the library's scenario");
        let before = layered(&s);
        let group = &before.raid[0];
        assert_eq!(group.pulses.len(), 4);
        let others = before.threat_count() as u32 - group.count;
        let q = Question::Exhaustion {
            layer: "x".into(),
            group: Some(group.id.clone()),
        };
        let v = variant(&s, &q, others + 2);
        let grown = &layered(&v).raid[0];
        assert_eq!(grown.count, 2);
        assert_eq!(
            grown.pulses.iter().map(|p| p.count).collect::<Vec<_>>(),
            [1, 1]
        );
    }

    #[test]
    fn a_layered_question_needs_a_known_layer_and_group() {
        let s = default_scenario();
        let l = layered(&s);
        let layer = l.batteries[0].interceptor.id.clone();
        let group = &l.raid[1];
        let ask = |layer: &str, group: Option<&str>| {
            let q = Question::Exhaustion {
                layer: layer.into(),
                group: group.map(str::to_owned),
            };
            check(&s, &q)
        };
        let total = l.threat_count() as u32;
        assert_eq!(ask(&layer, None).unwrap(), (total, 1));
        let others = total - group.count;
        assert_eq!(ask(&layer, Some(&group.id)).unwrap(), (total, others + 1));
        for refused in [
            ask("no-such-layer", None),
            ask(&layer, Some("no-such-group")),
        ] {
            assert!(
                matches!(refused, Err(BreakPointError::Question(_))),
                "{refused:?}"
            );
        }
        // Rounds start from the battery's own, batteries from one; a battery must exist.
        let battery = &l.batteries[1];
        let rounds = Question::Rounds {
            battery: battery.id.clone(),
            asset: None,
        };
        let batteries = Question::Batteries {
            battery: battery.id.clone(),
            asset: None,
        };
        assert_eq!(check(&s, &rounds).unwrap(), (battery.rounds, 0));
        assert_eq!(check(&s, &batteries).unwrap(), (1, 0));
        let unknown = Question::Rounds {
            battery: "no-such-battery".into(),
            asset: None,
        };
        assert!(matches!(
            check(&s, &unknown),
            Err(BreakPointError::Question(_))
        ));
    }

    #[test]
    fn a_level_counts_the_runs_in_which_the_asset_asked_takes_no_hit() {
        // The rounds of the default scenario's first battery, for no hit on a town it gains far
        // from the raid (listed first, before the assets the raid hits): each level's successes
        // are the runs of that level's variant with no hit there, every run.
        let text = skyshield_scenario::DEFAULT_SCENARIO.replacen(
            "assets:\n",
            concat!(
                "assets:\n  - {id: far-town, kind: city, ",
                "circle: {center: [29.5, 34.9], radius_km: 2}}\n",
            ),
            1,
        );
        let s = skyshield_scenario::from_str(&text, std::path::Path::new("default.yaml"))
            .unwrap_or_else(|d| panic!("{d}"));
        let l = layered(&s);
        let asset = "far-town".to_string();
        let q = Question::Rounds {
            battery: l.batteries[0].id.clone(),
            asset: Some(asset.clone()),
        };
        let opts = SearchOptions {
            probability: Some(0.5),
            runs: 20,
            seed: 3,
            threads: 1,
            nominal: true,
            max_level: Some(4),
            max_threats: 10_000,
        };
        let b = search(&s, &q, &opts, &CancelToken::new(), &mut |_| {}).expect("search");
        assert!(!b.levels.is_empty());
        for level in &b.levels {
            let prepared = prepare(&variant(&s, &q, level.level)).expect("prepares");
            let overrides = Overrides {
                runs: Some(20),
                seed: Some(3),
                threads: Some(1),
                nominal: true,
                keep_runs: true,
                sample_runs: None,
            };
            let options = BatchOptions::new(&prepared, overrides);
            let batch = run_batch(&prepared, &options, Execution::default()).expect("runs");
            let a = prepared
                .asset_ids
                .iter()
                .position(|id| *id == asset)
                .unwrap();
            let spared = batch.rows.iter().filter(|r| r.hits[a] == 0).count() as u64;
            assert_eq!((level.successes, spared), (20, 20), "level {}", level.level);
        }
    }
}
