//! A day of a campaign as one replication sees it: which rounds of the prepared raid are
//! launched, the rounds each battery starts with, and the window in which each battery is
//! away (relocating, under maintenance, or lost).
//!
//! The campaign crate carries stocks and availability from day to day; the engine plays each
//! day as an ordinary run of the same [`Prepared`] scenario, so trajectories, coverage and
//! engagement windows are prepared once for the whole campaign.

use skyshield_core::SimTime;

use crate::outcome::{Observer, Outcome};
use crate::policy::{CostAware, DefaultPolicy, ValueWeighted};
use crate::prepared::Prepared;
use crate::state::Replication;
use skyshield_scenario::Policy;

/// What a campaign day sets over the prepared scenario in one run. Every slice is indexed like
/// the prepared scenario's `threats` or `batteries`.
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    /// Per threat: whether it is launched this day. A threat not launched has no event in the
    /// run, and its entry of [`Outcome::threats`] keeps its reset value: read only the entries of
    /// launched threats.
    pub launched: &'a [bool],
    /// Per battery: ready rounds on its launchers at the start of the day.
    pub rounds: &'a [u32],
    /// Per battery: rounds in its depot at the start of the day.
    pub depot: &'a [u32],
    /// Per battery: the window `[start, end)` in which it is away: it launches nothing, and its
    /// own radar forms no track, unless another battery that is not away shares it (an empty
    /// window, `start >= end`: it stays all day). A track formed before the window is kept.
    pub away: &'a [(SimTime, SimTime)],
}

impl Replication {
    /// Plays run `run` of `prepared` under `seed` as one day of a campaign: `day` sets the
    /// launches, the batteries' rounds and when each is away. The policy is the one the
    /// scenario names; `observer` hears every event.
    ///
    /// # Panics
    /// When a slice of `day` is not as long as the prepared threats or batteries.
    pub fn run_day<O: Observer>(
        &mut self,
        prepared: &Prepared,
        seed: u64,
        run: u64,
        day: &Day<'_>,
        observer: &mut O,
    ) -> &Outcome {
        assert_eq!(
            day.launched.len(),
            prepared.threats.len(),
            "launched per threat"
        );
        for (len, what) in [
            (day.rounds.len(), "rounds"),
            (day.depot.len(), "depot"),
            (day.away.len(), "away"),
        ] {
            assert_eq!(len, prepared.batteries.len(), "{what} per battery");
        }
        match prepared.policy {
            Policy::EarliestIntercept => {
                self.play(prepared, seed, run, Some(day), &DefaultPolicy, observer)
            }
            Policy::ValueWeighted => {
                self.play(prepared, seed, run, Some(day), &ValueWeighted, observer)
            }
            Policy::CostAware => {
                let policy = CostAware {
                    required_kill_probability: prepared.required_kill_probability,
                };
                self.play(prepared, seed, run, Some(day), &policy, observer)
            }
        }
    }

    /// Sets the day's rounds and away windows after a reset (`None`: the prepared rounds, and
    /// every battery present).
    pub(crate) fn apply_day(&mut self, p: &Prepared, day: Option<&Day<'_>>) {
        self.away.clear();
        self.sensor_away.clear();
        let Some(day) = day else {
            return;
        };
        self.rounds.clear();
        self.rounds.extend_from_slice(day.rounds);
        self.depot.clear();
        self.depot.extend_from_slice(day.depot);
        self.away.extend_from_slice(day.away);
        // A radar is away when every battery that has it as its own radar is away: the
        // intersection of their windows; a radar of no battery is never away.
        self.sensor_away
            .resize(p.sensors.len(), (SimTime::ZERO, SimTime::ZERO));
        for r in p.batteries.iter().filter_map(|b| b.radar) {
            self.sensor_away[r] = (SimTime(i64::MIN), SimTime::MAX);
        }
        for (b, battery) in p.batteries.iter().enumerate() {
            if let Some(r) = battery.radar {
                let (s, e) = self.sensor_away[r];
                self.sensor_away[r] = (s.max(day.away[b].0), e.min(day.away[b].1));
            }
        }
    }

    /// When battery `b`, ready to fire at `at`, can fire: `at`, or the end of its window away
    /// when `at` falls in it (`SimTime::MAX` for a battery away for good).
    pub(crate) fn present_from(&self, b: usize, at: SimTime) -> SimTime {
        match self.away.get(b) {
            Some(&(start, end)) if start <= at && at < end => end,
            _ => at,
        }
    }

    /// Whether sensor `s` is away at `now`, so forms no track.
    pub(crate) fn sensor_away_at(&self, s: usize, now: SimTime) -> Option<SimTime> {
        match self.sensor_away.get(s) {
            Some(&(start, end)) if start <= now && now < end => Some(end),
            _ => None,
        }
    }
}
