//! One replication: the run's draws up front, the merge of the timeline, the queue and the
//! decision cycles with their wakes, and the dispatch of each event to the stage that handles it
//! ([`crate::threats`], [`crate::sensing`], [`crate::battle`], [`crate::engagement`]).

use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

use skyshield_core::{RngExt, SimTime, Stream, key_of, part_key};
use skyshield_scenario::Policy;

use crate::battle::cycle_s;
use crate::day::Day;
use crate::outcome::{
    BatteryTally, Fate, NoObserver, Observer, Outcome, Stage, Tally, ThreatOutcome,
};
use crate::policy::{AssignmentPolicy, CostAware, DefaultPolicy, ValueWeighted};
use crate::prepared::{CEP_TO_SIGMA, LAUNCH_JITTER_S, Prepared};
use crate::state::{Event, Replication, Rngs, Status, ThreatState, normal};

impl Replication {
    /// Plays run `run` of `prepared` under master seed `seed` with the assignment policy the
    /// scenario names ([`Prepared::policy`]).
    pub fn run(&mut self, prepared: &Prepared, seed: u64, run: u64) -> &Outcome {
        self.run_observed(prepared, seed, run, &mut NoObserver)
    }

    /// Plays run `run` under `seed` with the policy the scenario names, reporting every event
    /// to `observer`.
    pub fn run_observed<O: Observer>(
        &mut self,
        prepared: &Prepared,
        seed: u64,
        run: u64,
        observer: &mut O,
    ) -> &Outcome {
        match prepared.policy {
            Policy::EarliestIntercept => {
                self.run_with(prepared, seed, run, &DefaultPolicy, observer)
            }
            Policy::ValueWeighted => self.run_with(prepared, seed, run, &ValueWeighted, observer),
            Policy::CostAware => {
                let policy = CostAware {
                    required_kill_probability: prepared.required_kill_probability,
                };
                self.run_with(prepared, seed, run, &policy, observer)
            }
        }
    }

    /// Plays run `run` under `seed` with `policy`, reporting every event to `observer`.
    pub fn run_with<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        seed: u64,
        run: u64,
        policy: &P,
        observer: &mut O,
    ) -> &Outcome {
        self.play(p, seed, run, None, policy, observer)
    }

    /// Plays run `run` under `seed` with `policy`, as a campaign `day` sets it when given.
    pub(crate) fn play<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        seed: u64,
        run: u64,
        day: Option<&Day<'_>>,
        policy: &P,
        observer: &mut O,
    ) -> &Outcome {
        if let Some(plan) = &p.abstract_plan {
            // An abstract scenario has its own kernel (campaigns are layered only).
            return self.play_abstract(p, plan, seed, run, observer);
        }
        // A timed observer's clock: the start of what is being timed.
        let mut mark = O::TIMED.then(Instant::now);
        let rng = Rngs::new(seed, run);
        self.reset(p, run);
        self.apply_day(p, day);
        self.draw_values(p, rng);
        self.cycle = SimTime::from_s(cycle_s(p));
        self.decision_latency = SimTime::from_s(self.value(p.decision_latency));
        self.reaction.clear();
        self.network_delay.clear();
        self.reload_time.clear();
        self.reserve.clear();
        for (k, b) in p.batteries.iter().enumerate() {
            self.reaction
                .push(SimTime::from_s(self.value(b.reaction_s)));
            self.network_delay
                .push(SimTime::from_s(self.value(b.network_delay_s)));
            self.reload_time
                .push(SimTime::from_s(self.value(b.reload_s)));
            self.reserve
                .push((self.value(b.reserve_fraction) * f64::from(self.rounds[k])).ceil() as u32);
        }
        self.fire_control.clear();
        self.fire_control.resize(p.sensors.len(), false);
        self.set_update_rates(p);
        self.sensor_keys.clear();
        self.sensor_keys
            .extend(p.sensors.iter().map(|s| part_key(key_of(&s.id))));
        for r in p.batteries.iter().filter_map(|b| b.radar) {
            self.fire_control[r] = true;
        }
        self.flight_times.clear();
        self.flight_times.extend(
            p.trajectories
                .iter()
                .map(|t| SimTime::from_s(t.flight_time_s)),
        );
        // Launches, failures and aim dispersion are drawn for every round up front, each from
        // its own stream, so that they do not depend on what else happens in the run.
        for (i, plan) in p.threats.iter().enumerate() {
            let kind = &p.types[plan.group];
            let traj = &p.trajectories[plan.trajectory];
            let mut draws = rng.of(Stream::Launch, plan.key);
            let launch = plan.launch + SimTime::from_s(LAUNCH_JITTER_S * normal(&mut draws));
            let fails = draws.random::<f64>() >= self.value(kind.reliability);
            let fail_at = draws.random::<f64>() * traj.flight_time_s;
            let sigma = self.value(kind.cep_m) * CEP_TO_SIGMA;
            let impact = (sigma * normal(&mut draws), sigma * normal(&mut draws));
            let s = &mut self.threats[i];
            s.launch = launch;
            s.impact_time = launch + self.flight_times[plan.trajectory];
            s.fail_time = if fails {
                launch + SimTime::from_s(fail_at)
            } else {
                SimTime::MAX
            };
            s.impact = impact;
            self.outcome.threats[i].launch_s = launch.as_s();
        }
        // So are detections, and put in the timeline with what else follows from the launches.
        // The timeline and the decision cycle are merged with the queue, which holds what is
        // scheduled as the run unfolds. At one instant, the timeline's launches come first,
        // then its other entries, then queued events, and the decision cycle last, which
        // first takes the wakes due.
        // A campaign day plans only the rounds it launches; each round's draws come from its
        // own streams, so they do not depend on which others are launched.
        let launched = |i: usize| day.is_none_or(|d| d.launched[i]);
        let start = (0..p.threats.len())
            .filter(|&i| launched(i))
            .map(|i| self.threats[i].launch)
            .min();
        let start = start.unwrap_or(SimTime::ZERO);
        self.timeline.clear(start);
        for i in 0..p.threats.len() {
            if launched(i) {
                self.plan::<O>(p, rng, i);
            }
        }
        self.timeline.sort();
        self.queue.clear(start);
        lap(observer, &mut mark, Stage::Draws);
        while let Some((now, event)) = self.next_event() {
            lap(observer, &mut mark, Stage::Queue);
            self.handle(p, policy, observer, rng, now, event);
            lap(observer, &mut mark, event.stage());
        }
        lap(observer, &mut mark, Stage::Queue);
        let o = &mut self.outcome;
        for (b, tally) in o.batteries.iter_mut().enumerate() {
            tally.rounds_left = self.rounds[b];
        }
        if let Some(w) = &p.warning {
            self.warning.finish(w, &o.threats, &mut o.warning);
        }
        o.tally = Tally::of(&o.threats);
        if self.skip_threat_outcomes {
            o.threats.clear();
        }
        lap(observer, &mut mark, Stage::Outcome);
        &self.outcome
    }

    /// The run's next event and its time (`None`: the run is over), from the timeline, the
    /// queue and the decision cycle merged: at one instant, the timeline's entries first, then
    /// queued events, and the decision cycle last.
    #[inline(always)]
    fn next_event(&mut self) -> Option<(SimTime, Event)> {
        let planned = self.timeline.next_time();
        let wake = self.wakes.front().map_or(SimTime::MAX, |&(cycle, _)| cycle);
        let due = planned.min(self.next_cycle).min(wake);
        let limit = if planned == due {
            SimTime(due.0 - 1)
        } else {
            due
        };
        if let Some(queued) = self.queue.pop_until(limit) {
            Some(queued)
        } else if due == SimTime::MAX {
            None
        } else if planned == due {
            Some((due, self.timeline.take()))
        } else {
            self.next_cycle = SimTime::MAX;
            Some((due, Event::Cycle))
        }
    }

    fn reset(&mut self, p: &Prepared, run: u64) {
        let (nt, ns, nb) = (p.threats.len(), p.sensors.len(), p.batteries.len());
        self.wakes.clear();
        self.threats.clear();
        self.threats.resize(
            nt,
            ThreatState {
                status: Status::Waiting,
                launch: SimTime::ZERO,
                impact_time: SimTime::ZERO,
                fail_time: SimTime::MAX,
                impact: (0.0, 0.0),
                track_time: SimTime::MAX,
                track_updates: 0.0,
                updates_mark: SimTime::ZERO,
                update_rate_hz: 0.0,
                tracks_now: 0,
                cue_time: SimTime::MAX,
                prediction_z: (0.0, 0.0),
                engagements_in_flight: 0,
                waiting_channel: false,
                believed_dead: false,
                queued: false,
                ignored_open: false,
                recheck: SimTime::MAX,
                recheck_wanted: false,
                intercepts: 0,
                blocked: None,
            },
        );
        self.tracks.clear();
        self.tracks.resize(nt * ns, SimTime::MAX);
        self.coverage_over.clear();
        self.coverage_over.resize(nt * ns, false);
        self.track_waiting.resize_with(ns, VecDeque::new);
        self.track_waiting.iter_mut().for_each(VecDeque::clear);
        self.channel_waiting.resize_with(nb, BinaryHeap::new);
        self.channel_waiting.iter_mut().for_each(BinaryHeap::clear);
        self.offer = false;
        self.active_tracks.clear();
        self.active_tracks.resize(ns, 0);
        self.channels_busy.clear();
        self.channels_busy.resize(nb, 0);
        self.rounds.clear();
        self.rounds.extend(p.batteries.iter().map(|b| b.rounds));
        self.depot.clear();
        self.depot
            .extend(p.batteries.iter().map(|b| b.depot_rounds));
        self.reloading.clear();
        self.reloading.resize(nb, 0);
        self.engaged_by.clear();
        self.engaged_by.resize(nt * nb, false);
        self.window_from.clear();
        self.window_from.resize(nt * nb, 0);
        self.engagements.clear();
        self.ready.clear();
        self.next_cycle = SimTime::MAX;
        let o = &mut self.outcome;
        o.run = run;
        o.threats.clear();
        o.threats.resize(
            nt,
            ThreatOutcome {
                fate: Fate::Leaked,
                launch_s: 0.0,
                shots: 0,
                time_s: 0.0,
                lat_deg: 0.0,
                lon_deg: 0.0,
                height_m: 0.0,
                battery: None,
                asset: None,
                debris: None,
                leak_cause: None,
            },
        );
        o.batteries.clear();
        o.batteries.resize(nb, BatteryTally::default());
        o.defense_cost_usd = 0.0;
        o.offense_cost_usd = 0.0;
        self.warning.reset(p, &mut o.warning);
    }

    /// Plays `event` at `now`: each kind of event goes to the stage that owns it.
    pub(crate) fn handle<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        policy: &P,
        observer: &mut O,
        rng: Rngs,
        now: SimTime,
        event: Event,
    ) {
        match event {
            Event::Launch(i) => self.on_launch(p, observer, rng, now, i as usize),
            Event::Cue(i) => self.on_cue(observer, now, i as usize),
            Event::Track(s, i) => match self.sensor_away_at(s as usize, now) {
                // A radar away forms its track when it is back, if the threat is still in its
                // coverage then.
                Some(back) => self.push(back, event),
                None => self.track(p, observer, rng, now, s as usize, i as usize),
            },
            Event::TrackLost(s, i) => self.on_track_lost(p, observer, now, s as usize, i as usize),
            Event::Cycle => {
                self.take_wakes(now);
                self.decide(p, policy, observer, now);
            }
            Event::Recheck(i) => self.on_recheck(i as usize, now),
            Event::InterceptorLaunch(e) => self.on_interceptor_launch(observer, now, e as usize),
            Event::Intercept(e) => self.on_intercept(p, observer, rng, now, e as usize),
            Event::Assess(i) => self.on_assess(p, observer, rng, now, i as usize),
            Event::Reload(b, rounds) => self.on_reload(b as usize, rounds, now),
            Event::Fail(i) => self.on_fail(p, observer, now, i as usize),
            Event::Impact(i) => self.on_impact(p, observer, now, i as usize),
            Event::Siren(i) => self.on_siren(p, observer, now, i as usize),
        }
    }
}

/// Reports to a timed `observer` the time since `mark` as spent in `stage`, and restarts the
/// clock (nothing without a clock).
#[inline]
fn lap<O: Observer>(observer: &mut O, mark: &mut Option<Instant>, stage: Stage) {
    if let Some(start) = mark {
        let now = Instant::now();
        observer.stage_time(stage, now - *start);
        *start = now;
    }
}

impl Event {
    /// The stage of a run that handles it.
    fn stage(self) -> Stage {
        match self {
            Event::Launch(_) | Event::Cue(_) | Event::Track(..) | Event::TrackLost(..) => {
                Stage::Sensing
            }
            Event::Recheck(_) | Event::Cycle => Stage::Decisions,
            Event::InterceptorLaunch(_)
            | Event::Intercept(_)
            | Event::Assess(_)
            | Event::Reload(..) => Stage::Engagements,
            Event::Fail(_) | Event::Impact(_) | Event::Siren(_) => Stage::Outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;

    use super::*;

    /// An abstract scenario of `threats` threats against one layer with one fire channel.
    fn one_channel(threats: u32) -> Prepared {
        let text = format!(
            "name: one channel\nkind: abstract\nthreats: {threats}\nlayers:\n  - {{id: layer, kill_probability: 0.5}}\n"
        );
        let scenario = skyshield_scenario::from_str(&text, std::path::Path::new("test.yaml"))
            .expect("scenario");
        let mut p = crate::prepare(&scenario).expect("prepared");
        p.batteries[0].fire_channels = 1;
        p
    }

    /// A replication of `p` reset for a run, its threats flying, before any event.
    fn flying(p: &Prepared) -> Replication {
        let mut rep = Replication::new();
        rep.reset(p, 0);
        rep.set_update_rates(p);
        rep.fire_control = vec![false; p.sensors.len()];
        rep.cycle = SimTime::from_s(1.0);
        rep.queue.clear(SimTime::ZERO);
        for s in &mut rep.threats {
            s.status = Status::Flying;
        }
        rep
    }

    #[test]
    fn fates_are_indexed_in_the_order_of_all() {
        for (k, fate) in Fate::ALL.into_iter().enumerate() {
            assert_eq!(fate.index(), k, "{}", fate.name());
        }
    }

    #[test]
    fn a_free_channel_goes_to_the_most_urgent_waiting_threat() {
        let p = one_channel(4);
        let mut rep = flying(&p);
        // Threats 0, 1 and 3 wait, in that order, with priorities 30, 10 and 20; threat 2
        // waited too but was killed since.
        for (i, key) in [(0u32, 30), (1, 10), (2, 5), (3, 20)] {
            rep.threats[i as usize].waiting_channel = true;
            rep.channel_waiting[0].push(Reverse((key, i)));
        }
        rep.threats[2].status = Status::Dead;
        rep.channels_busy[0] = 1;
        rep.offer_channels(&p);
        assert!(rep.ready.is_empty(), "no channel is free");
        rep.channels_busy[0] = 0;
        rep.offer_channels(&p);
        assert_eq!(rep.ready, [1], "the most urgent living threat, and only it");
        assert!(rep.offer, "offered again after the decisions");
        assert!(!rep.threats[1].waiting_channel && rep.threats[3].waiting_channel);
        // Threat 1 went elsewhere: the channel is still free, and goes to the next.
        rep.ready.clear();
        rep.threats[1].queued = false;
        rep.offer_channels(&p);
        assert_eq!(rep.ready, [3]);
        assert_eq!(
            rep.channel_waiting[0].peek(),
            Some(&Reverse((30, 0))),
            "threat 0 still waits"
        );
    }

    #[test]
    fn a_threat_that_ends_frees_its_track_for_the_first_waiting_threat_still_in_coverage() {
        let p = one_channel(3);
        let ns = p.sensors.len();
        let mut rep = flying(&p);
        // Threat 0 holds sensor 0's only track; threats 1 and 2 wait for it, in that order,
        // but threat 1 has left the sensor's coverage since.
        rep.tracks[0] = SimTime::ZERO;
        rep.threats[0].tracks_now = 1;
        rep.active_tracks[0] = 1;
        rep.coverage_over[ns] = true;
        rep.track_waiting[0].extend([1, 2]);
        let now = SimTime::from_s(5.0);
        rep.kill_threat(&p, 0, now);
        assert_eq!(
            (
                rep.tracks[0],
                rep.threats[0].tracks_now,
                rep.active_tracks[0]
            ),
            (SimTime::MAX, 0, 0),
            "the track is freed"
        );
        assert_eq!(
            rep.queue.pop_until(SimTime::MAX),
            Some((now, Event::Track(0, 2)))
        );
        assert_eq!(
            rep.queue.pop_until(SimTime::MAX),
            None,
            "one track, one threat"
        );
        assert!(rep.track_waiting[0].is_empty());
    }

    /// Two threats seen by two radars, the second updating its tracks four times as often as
    /// the first.
    fn two_radars() -> Prepared {
        let text = "name: two radars\n\
            assets:\n  - {id: town, kind: city, circle: {center: [31.525, 34.596], radius_km: 2}}\n\
            sensors:\n  - {id: slow, type: elm-2084, at: [31.5, 34.62], overrides: {track_revisit_s: 4}}\n\
            \x20 - {id: fast, type: elm-2084, at: [31.5, 34.62], overrides: {track_revisit_s: 1}}\n\
            raid:\n  - {id: g, threat: grad, count: 2, launch: {sites: [[31.6, 34.45]]}, target: town}\n";
        let scenario = skyshield_scenario::from_str(text, std::path::Path::new("test.yaml"))
            .expect("scenario");
        crate::prepare(&scenario).expect("prepared")
    }

    #[test]
    fn a_track_is_updated_at_the_rate_of_the_fastest_radar_holding_it() {
        let p = two_radars();
        let (slow, fast) = (0, 1);
        let mut rep = flying(&p);
        let rng = Rngs::new(1, 0);
        let at = SimTime::from_s(10.0);
        rep.track(&p, &mut NoObserver, rng, at, fast, 0);
        rep.track(&p, &mut NoObserver, rng, at, slow, 1);
        let rates = |rep: &Replication| [0, 1].map(|i| rep.threats[i].update_rate_hz);
        assert_eq!(
            rates(&rep),
            [1.0, 0.25],
            "each at the rate of its own radar"
        );
        rep.track(&p, &mut NoObserver, rng, at, fast, 1);
        assert_eq!(rates(&rep), [1.0, 1.0], "threat 1 held by both");
        let later = SimTime::from_s(14.0);
        rep.release_track(&p, fast, 1, later);
        assert_eq!(
            rates(&rep),
            [1.0, 0.25],
            "threat 1 held by the slow radar again"
        );
        // Over 4 s at 1 update a second, then 6 s at 0.25.
        assert_eq!(rep.track_updates(1, SimTime::from_s(20.0)), 5.5);
    }

    #[test]
    fn a_track_lost_goes_to_a_threat_waiting_in_the_coverage_of_that_radar() {
        let p = two_radars();
        let fast = 1;
        let mut rep = flying(&p);
        // Threat 0 holds a track of the fast radar; threat 1 waits for one, and has left the
        // slow radar's coverage but not the fast one's.
        rep.track(&p, &mut NoObserver, Rngs::new(1, 0), SimTime::ZERO, fast, 0);
        rep.track_waiting[fast].push_back(1);
        rep.coverage_over[p.sensors.len()] = true;
        let now = SimTime::from_s(3.0);
        rep.on_track_lost(&p, &mut NoObserver, now, fast, 0);
        assert_eq!(
            rep.queue.pop_until(SimTime::MAX),
            Some((now, Event::Track(fast as u32, 1)))
        );
    }

    #[test]
    fn at_one_instant_launches_come_first_then_other_entries_then_queued_events_then_the_cycle() {
        use crate::timeline::Rank;
        let p = one_channel(2);
        let mut rep = flying(&p);
        let t = SimTime::from_s(3.0);
        rep.timeline.clear(SimTime::ZERO);
        // Put in the reverse of the order they come in, a threat woken for the cycle at `t`
        // and another asking for it.
        rep.wakes.push_back((t, 1));
        rep.request_cycle(t);
        rep.push(t, Event::Recheck(0));
        rep.push(SimTime::from_s(2.0), Event::Recheck(1));
        rep.timeline.put(t, Rank::Later, Event::Impact(0));
        rep.timeline.put(t, Rank::Launch, Event::Launch(1));
        rep.timeline.sort();
        let mut order = Vec::new();
        while let Some((now, event)) = rep.next_event()
            && order.len() < 10
        {
            if event == Event::Cycle {
                rep.take_wakes(now);
            }
            order.push((now, event));
        }
        let s = SimTime::from_s;
        assert_eq!(
            order,
            [
                (s(2.0), Event::Recheck(1)),
                (t, Event::Launch(1)),
                (t, Event::Impact(0)),
                (t, Event::Recheck(0)),
                (t, Event::Cycle),
            ]
        );
    }

    #[test]
    fn a_later_follow_up_replaces_an_earlier_one() {
        let p = one_channel(1);
        let mut rep = flying(&p);
        rep.recheck(0, SimTime::from_s(5.0));
        // A decision at 2 s asks for 8 s instead; another at 3 s asks for 8 s again, which
        // reuses the event already queued.
        rep.threats[0].recheck_wanted = false;
        rep.recheck(0, SimTime::from_s(8.0));
        rep.threats[0].recheck_wanted = false;
        rep.recheck(0, SimTime::from_s(8.0));
        let rng = Rngs::new(1, 0);
        let mut woken = Vec::new();
        while let Some((t, event)) = rep.queue.pop_until(SimTime::MAX) {
            rep.handle(&p, &DefaultPolicy, &mut NoObserver, rng, t, event);
            if std::mem::take(&mut rep.threats[0].queued) {
                woken.push(t.as_s());
                rep.ready.clear();
            }
        }
        assert_eq!(woken, [8.0]);
    }
}
