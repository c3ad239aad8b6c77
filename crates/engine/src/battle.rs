//! Battle management: decision cycles, threat evaluation (time to go, the defended assets a
//! predicted impact threatens, their value) and weapon-target assignment by an
//! [`AssignmentPolicy`] within fire channels, rounds, reserves and doctrine.

use std::cmp::Reverse;

use skyshield_core::SimTime;

use crate::outcome::{EngineEvent, LeakCause, Observer};
use crate::policy::{AssignmentPolicy, Candidate, ThreatView};
use crate::prepared::{Prepared, asset_bit, prediction_sigma_m};
use crate::state::{Engagement, Event, Judged, Replication, Status};

/// Prediction uncertainty, in standard deviations, within which a defended asset counts as
/// threatened (about 95 % for a circular normal error at 2.45σ; 2σ is a common planning figure).
pub const THREAT_SIGMAS: f64 = 2.0;

impl Replication {
    /// Puts threat `i` among the threats of the next decision cycle from `now` on.
    pub(crate) fn wake(&mut self, i: usize, now: SimTime) {
        self.ready_up(i);
        self.request_cycle(now);
    }

    /// Puts threat `i`, if it still flies, among the threats of the coming decision cycle.
    fn ready_up(&mut self, i: usize) {
        let s = &mut self.threats[i];
        if s.status == Status::Flying && !s.queued {
            s.queued = true;
            self.ready.push(i as u32);
        }
    }

    /// Asks for a decision on threat `i` again at `at`, in place of any other follow-up of its
    /// earlier decisions.
    pub(crate) fn recheck(&mut self, i: usize, at: SimTime) {
        let s = &mut self.threats[i];
        s.recheck_wanted = true;
        if s.recheck != at {
            s.recheck = at;
            self.push(at, Event::Recheck(i as u32));
        }
    }

    /// Asks for the first decision cycle from `at` on.
    pub(crate) fn request_cycle(&mut self, at: SimTime) {
        if self.next_cycle >= at && (self.next_cycle - at).0 < self.cycle.0 {
            // The cycle already asked for is the first from `at` on.
            return;
        }
        self.next_cycle = self.next_cycle.min(self.cycle_from(at));
    }

    /// The first decision cycle from `at` on: cycles fall on whole multiples of the cycle's
    /// period.
    pub(crate) fn cycle_from(&self, at: SimTime) -> SimTime {
        let period = self.cycle.0;
        let late = at.0.rem_euclid(period);
        SimTime(at.0 - late + if late == 0 { 0 } else { period })
    }

    /// The decision cycle at `now` puts the threats woken for it among its own (a wake is
    /// only a place in a cycle).
    pub(crate) fn take_wakes(&mut self, now: SimTime) {
        while let Some(&(cycle, i)) = self.wakes.front()
            && cycle <= now
        {
            self.wakes.pop_front();
            self.ready_up(i as usize);
        }
    }

    /// A follow-up decision on threat `i` falls due: it is woken if its last decision still
    /// wants it and no later follow-up replaced this one.
    pub(crate) fn on_recheck(&mut self, i: usize, now: SimTime) {
        let s = &mut self.threats[i];
        if s.recheck == now {
            s.recheck = SimTime::MAX;
            if std::mem::take(&mut s.recheck_wanted) {
                self.wake(i, now);
            }
        }
    }

    /// Which assets tracked threat `i` threatens at `now` (a bit per asset), given the
    /// predicted impact point and the scale of its error.
    pub(crate) fn threatened(&self, p: &Prepared, i: usize, now: SimTime) -> u64 {
        let assets = &p.trajectories[p.threats[i].trajectory].assets;
        if assets.is_empty() {
            return 0;
        }
        let (e, n, sigma) = self.predicted(p, i, now);
        assets
            .iter()
            .enumerate()
            .filter(|(_, a)| a.within_m(e, n, THREAT_SIGMAS * sigma))
            .fold(0u64, |m, (k, _)| m | asset_bit(k))
    }

    /// The predicted impact point of tracked threat `i` at `now`, east and north of its
    /// trajectory's nominal impact (m), and the scale of its error (m).
    pub(crate) fn predicted(&self, p: &Prepared, i: usize, now: SimTime) -> (f64, f64, f64) {
        let s = &self.threats[i];
        let kind = &p.types[p.threats[i].group];
        let sigma = prediction_sigma_m(
            self.track_updates(i, now),
            (s.impact_time - now).as_s(),
            kind.manoeuvre_g,
        );
        (
            s.impact.0 + sigma * s.prediction_z.0,
            s.impact.1 + sigma * s.prediction_z.1,
            sigma,
        )
    }

    /// One decision cycle: evaluate the ready threats, most urgent first, and assign batteries.
    /// Each free fire channel is offered to the most urgent threat waiting for one of its
    /// battery, with the ready threats; while a battery still has a free channel and threats
    /// waiting for it after that (those offered it went elsewhere), it is offered again.
    pub(crate) fn decide<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        policy: &P,
        observer: &mut O,
        now: SimTime,
    ) {
        let mut keys = std::mem::take(&mut self.ready_keys);
        loop {
            if std::mem::take(&mut self.offer) {
                self.offer_channels(p);
            }
            if self.ready.is_empty() {
                break;
            }
            keys.clear();
            for k in 0..self.ready.len() {
                let i = self.ready[k] as usize;
                let s = &mut self.threats[i];
                s.queued = false;
                if s.status == Status::Flying && !s.believed_dead {
                    // This decision answers the follow-up its last one asked for.
                    s.recheck_wanted = false;
                    if !p.double_engagement && s.engagements_in_flight > 0 {
                        // Left alone while an engagement of it is in flight (without double
                        // engagement): nothing to decide or report, whatever the order.
                        continue;
                    }
                    let threatened = self.threatened(p, i, now);
                    if !O::ACTIVE && self.beyond_every_battery(p, i) {
                        // Nothing to assign: decided at once, whatever the order (a decision
                        // is reported, so in order, only to an observer).
                        self.judge(p, i, threatened, now);
                        continue;
                    }
                    let view = self.view(p, i, threatened, now);
                    keys.push(Judged {
                        key: ordered(policy.priority(&view)),
                        view,
                        threatened,
                    });
                }
            }
            self.ready.clear();
            keys.sort_unstable_by_key(|j| (j.key, j.view.threat));
            for &judged in &keys {
                self.decide_one(p, policy, observer, now, judged);
            }
        }
        self.ready_keys = keys;
    }

    /// Readies, for each battery with rounds and free fire channels, as many of the threats
    /// waiting for it, most urgent first, as it has free channels; if it readies any, channels are offered
    /// again after their decisions, in case some went elsewhere.
    pub(crate) fn offer_channels(&mut self, p: &Prepared) {
        for (b, battery) in p.batteries.iter().enumerate() {
            let mut free = if self.rounds[b] > 0 {
                battery.fire_channels.saturating_sub(self.channels_busy[b])
            } else {
                0
            };
            while free > 0
                && let Some(Reverse((_, w))) = self.channel_waiting[b].pop()
            {
                let s = &mut self.threats[w as usize];
                s.waiting_channel = false;
                if s.status == Status::Flying && !s.believed_dead && !s.queued {
                    s.queued = true;
                    self.ready.push(w);
                    self.offer = true;
                    free -= 1;
                }
            }
        }
    }

    pub(crate) fn view(&self, p: &Prepared, i: usize, threatened: u64, now: SimTime) -> ThreatView {
        let threatened_value = p
            .asset_values
            .iter()
            .enumerate()
            .filter(|(k, _)| threatened & asset_bit(*k) != 0)
            .map(|(_, v)| *v)
            .fold(0.0, f64::max);
        ThreatView {
            threat: i,
            time_to_go_s: (self.threats[i].impact_time - now).as_s(),
            threatened_value,
        }
    }

    pub(crate) fn decide_one<P: AssignmentPolicy, O: Observer>(
        &mut self,
        p: &Prepared,
        policy: &P,
        observer: &mut O,
        now: SimTime,
        judged: Judged,
    ) {
        let Judged {
            key,
            view,
            threatened,
        } = judged;
        let i = view.threat;
        if self.judge(p, i, threatened, now) {
            observer.event(&EngineEvent::Decision {
                time_s: now.as_s(),
                threat: i,
                battery: None,
                time_to_go_s: view.time_to_go_s,
                threatened_value: 0.0,
            });
            return;
        }
        let horizon = now + self.cycle;
        let (wake, waiting_for, mut reason) = self.candidates(p, i, threatened, now, horizon);
        let choice = policy.choose(&view, &self.candidates, &self.later);
        observer.event(&EngineEvent::Decision {
            time_s: now.as_s(),
            threat: i,
            battery: choice.map(|c| self.candidates[c.candidate].battery),
            time_to_go_s: view.time_to_go_s,
            threatened_value: view.threatened_value,
        });
        match choice {
            Some(fire) => {
                let cand = self.candidates[fire.candidate];
                let (o, w) = self.candidate_refs[fire.candidate];
                let b = cand.battery;
                let shots = fire.shots.clamp(1, self.rounds[b]);
                self.rounds[b] -= shots;
                // A launcher emptied by this salvo starts reloading when the salvo leaves.
                self.start_reloads(p, b, cand.launch);
                self.channels_busy[b] += 1;
                self.engaged_by[i * p.batteries.len() + b] = true;
                self.threats[i].engagements_in_flight += 1;
                self.outcome.batteries[b].shots += shots;
                self.outcome.threats[i].shots += shots;
                self.outcome.defense_cost_usd += f64::from(shots) * p.batteries[b].cost_usd;
                let e = self.engagements.len() as u32;
                self.engagements.push(Engagement {
                    threat: i as u32,
                    battery: b as u32,
                    shots,
                    window: w,
                    opportunity: o,
                    intercept: cand.intercept,
                });
                if O::ACTIVE {
                    self.push(cand.launch, Event::InterceptorLaunch(e));
                }
                self.push(cand.intercept, Event::Intercept(e));
                if !p.shoot_look_shoot {
                    // Other layers may engage without waiting for the look.
                    self.recheck(i, horizon);
                }
            }
            None => {
                if !self.candidates.is_empty() && self.later.is_empty() {
                    // The policy held its rounds back.
                    reason = reason.max(Some(LeakCause::NoRounds));
                }
                // Already no weaker than the threat's earlier reasons.
                let s = &mut self.threats[i];
                s.blocked = reason;
                if let Some(b) = waiting_for
                    && !s.waiting_channel
                {
                    // Decided again when that battery frees a channel or reloads.
                    s.waiting_channel = true;
                    self.channel_waiting[b].push(Reverse((key, i as u32)));
                }
                if wake < SimTime::MAX {
                    // Decided again one cycle before a later window opens.
                    self.recheck(i, (wake - self.cycle).max(horizon));
                }
            }
        }
    }

    /// The first step of a decision on threat `i`, which threatens the assets of `threatened`
    /// at `now` and has no engagement in flight (or may be engaged twice): whether it is
    /// harmless, and judged again next cycle, as it threatens no defended asset (with
    /// `engage_only_defended`); otherwise a battery may be assigned.
    fn judge(&mut self, p: &Prepared, i: usize, threatened: u64, now: SimTime) -> bool {
        let harmless = p.engage_only_defended && threatened == 0;
        self.threats[i].ignored_open = harmless;
        if harmless {
            // The prediction narrows as the track is updated: judged again next cycle.
            let next = now + self.cycle;
            if next < self.threats[i].impact_time {
                self.recheck(i, next);
            }
        }
        harmless
    }

    /// Whether no decision can fire at threat `i` or change why it was not fired at: every
    /// battery that can reach it is spent ([`Replication::spent`]), and its decisions so far
    /// gave a reason no weaker than [`LeakCause::NoRounds`]. A decision then only judges it
    /// ([`Replication::judge`]). Batteries are spent only by decisions and refilled only by
    /// reloads, so this holds for the rest of a decision cycle once it holds.
    fn beyond_every_battery(&self, p: &Prepared, i: usize) -> bool {
        self.threats[i].blocked >= Some(LeakCause::NoRounds)
            && p.opportunities[p.threats[i].trajectory]
                .iter()
                .all(|o| self.spent(o.battery))
    }

    /// Whether battery `b` is empty and not reloading: it can fire at nothing, and gives at
    /// most [`LeakCause::NoRounds`] as a reason.
    fn spent(&self, b: usize) -> bool {
        self.rounds[b] == 0 && self.reloading[b] == 0
    }

    /// Gathers the batteries that can engage threat `i` at `now`: in `candidates` those that
    /// can fire before `horizon` (with `candidate_refs`, their opportunity and window), in
    /// `later` those that can fire only after it, reserves respected. Returns when the first of
    /// `later` can fire (`SimTime::MAX`: none), a battery that could fire but for its busy fire
    /// channels or its empty launchers being reloaded, and the strongest reason, over this
    /// decision and the threat's earlier ones, why a battery that can reach the threat could
    /// not fire ([`LeakCause`] order).
    fn candidates(
        &mut self,
        p: &Prepared,
        i: usize,
        threatened: u64,
        now: SimTime,
        horizon: SimTime,
    ) -> (SimTime, Option<usize>, Option<LeakCause>) {
        let plan = p.threats[i];
        let class = p.types[plan.group].class;
        let launch = self.threats[i].launch;
        let nb = p.batteries.len();
        let mut wake = SimTime::MAX;
        let mut waiting_for = None;
        // The strongest reason so far, this threat's earlier decisions included.
        let mut reason = self.threats[i].blocked;
        self.candidates.clear();
        self.candidate_refs.clear();
        self.later.clear();
        // The first track of any sensor, as a battery that fires on remote tracks receives it
        // after its network delay.
        let network_track = if self.threats[i].tracks_now > 0 {
            self.threats[i].track_time
        } else {
            SimTime::MAX
        };
        for (o, opp) in p.opportunities[plan.trajectory].iter().enumerate() {
            let b = opp.battery;
            if self.spent(b) && reason >= Some(LeakCause::NoRounds) {
                // No candidate, and no reason stronger than one already given.
                continue;
            }
            let battery = &p.batteries[b];
            if !p.shoot_look_shoot && self.engaged_by[i * nb + b] {
                continue;
            }
            if battery.defends != 0 && threatened & battery.defends == 0 {
                reason = reason.max(Some(LeakCause::NoWindow));
                continue;
            }
            let own = battery
                .radar
                .map_or(SimTime::MAX, |r| self.tracks[i * p.sensors.len() + r]);
            let remote = if battery.remote_tracks && network_track < SimTime::MAX {
                network_track + self.network_delay[b]
            } else {
                SimTime::MAX
            };
            let track = own.min(remote);
            if track == SimTime::MAX {
                // Tracked by sensors it cannot fire on, or no longer tracked at all.
                let why = if network_track < SimTime::MAX {
                    LeakCause::NoWindow
                } else {
                    LeakCause::TrackedTooLate
                };
                reason = reason.max(Some(why));
                continue;
            }
            let mut ready_at = self.present_from(b, (track + self.reaction[b]).max(now));
            if ready_at == SimTime::MAX {
                // Away for good (lost).
                continue;
            }
            // The earliest window whose launch time is still to come, and at which the battery
            // is not away.
            let mut w;
            loop {
                let from = &mut self.window_from[i * nb + b];
                // Times since launch: `ready_at` is finite, so the difference is exact.
                let ready_since_launch = ready_at - launch;
                w = first_open(&opp.launches, *from as usize, |key| {
                    key.latest >= ready_since_launch
                });
                *from = w as u32;
                match opp.launches.get(w) {
                    Some(key)
                        if self.present_from(b, launch + key.launch) > launch + key.launch =>
                    {
                        ready_at = self.present_from(b, launch + key.launch);
                    }
                    _ => break,
                }
            }
            let Some(window) = opp.launches.get(w) else {
                reason = reason.max(Some(LeakCause::TrackedTooLate));
                continue;
            };
            let rounds = self.rounds[b];
            if rounds == 0 {
                reason = reason.max(Some(LeakCause::NoRounds));
                if self.reloading[b] > 0 {
                    waiting_for = waiting_for.or(Some(b));
                }
                continue;
            }
            let mut pk = self.value(battery.kill_probability(class)) * window.crossing_factor;
            if window.manoeuvring {
                pk *= self.value(battery.manoeuvre_kill_factor);
            }
            let candidate = Candidate {
                battery: b,
                tier: battery.tier,
                launch: launch + window.launch,
                intercept: launch + window.intercept,
                kill_probability: pk,
                cost_usd: battery.cost_usd,
                salvo: battery.salvo.min(rounds),
                rounds,
                capacity: battery.rounds,
                defended_value: battery.defended_value,
            };
            if candidate.launch > horizon {
                wake = wake.min(candidate.launch);
                self.later.push(candidate);
            } else if self.channels_busy[b] >= battery.fire_channels {
                reason = reason.max(Some(LeakCause::NoFreeChannel));
                waiting_for = waiting_for.or(Some(b));
            } else {
                self.candidates.push(candidate);
                self.candidate_refs.push((o as u32, w as u32));
            }
        }
        // A battery's reserve goes only to threats that no battery outside its reserve can
        // engage, now or later.
        let reserve = &self.reserve;
        let free = |c: &Candidate| c.rounds >= c.salvo + reserve[c.battery];
        if self.candidates.iter().chain(&self.later).any(free) {
            let before = self.candidates.len() + self.later.len();
            let mut k = 0;
            while k < self.candidates.len() {
                if free(&self.candidates[k]) {
                    k += 1;
                } else {
                    self.candidates.swap_remove(k);
                    self.candidate_refs.swap_remove(k);
                }
            }
            self.later.retain(free);
            if self.candidates.len() + self.later.len() < before {
                reason = reason.max(Some(LeakCause::NoRounds));
                wake = self
                    .later
                    .iter()
                    .map(|c| c.launch)
                    .min()
                    .unwrap_or(SimTime::MAX);
            }
        }
        (wake, waiting_for, reason)
    }

    /// Starts reloading, at `at`, the empty launchers of battery `b` from its depot, each ready
    /// after the battery's reload time. Rounds are fired from one launcher until it is empty, so the
    /// launchers holding rounds are the ready rounds over the launcher's load, rounded up.
    pub(crate) fn start_reloads(&mut self, p: &Prepared, b: usize, at: SimTime) {
        let battery = &p.batteries[b];
        let load = battery.rounds.div_ceil(battery.launchers.max(1)).max(1);
        while self.depot[b] > 0
            && self.rounds[b].div_ceil(load) + self.reloading[b] < battery.launchers
        {
            let rounds = load.min(self.depot[b]);
            self.depot[b] -= rounds;
            self.reloading[b] += 1;
            self.push(at + self.reload_time[b], Event::Reload(b as u32, rounds));
        }
    }

    /// A launcher of battery `b` is reloaded with `rounds` rounds: the threats waiting for the
    /// battery are offered it at the next cycle.
    pub(crate) fn on_reload(&mut self, b: usize, rounds: u32, now: SimTime) {
        self.rounds[b] += rounds;
        self.reloading[b] -= 1;
        self.outcome.batteries[b].reloaded += rounds;
        if !self.channel_waiting[b].is_empty() {
            self.offer = true;
            self.request_cycle(now);
        }
    }
}

/// Shortest decision cycle, s: with a decision latency of zero, decisions still come in cycles
/// of this length, and a battery may fire at any moment within the cycle. Notional.
pub const MIN_DECISION_CYCLE_S: f64 = 1.0;

/// The decision cycle of a scenario, s.
pub(crate) fn cycle_s(p: &Prepared) -> f64 {
    p.decision_latency_s.max(MIN_DECISION_CYCLE_S)
}

/// The first index from `from` on where `open` holds, over values along which it holds from
/// some index on: a galloping search, which touches few values when the answer is near `from`.
fn first_open<T: Copy>(values: &[T], from: usize, open: impl Fn(T) -> bool) -> usize {
    let (mut lo, mut step) = (from, 1);
    let hi = loop {
        let probe = lo + step - 1;
        if probe >= values.len() {
            break values.len();
        }
        if open(values[probe]) {
            break probe;
        }
        lo = probe + 1;
        step *= 2;
    };
    lo + values[lo..hi].partition_point(|&v| !open(v))
}

/// A total order on finite priorities.
fn ordered(x: f64) -> i64 {
    skyshield_core::round_to_i64(x * 1e6)
}
