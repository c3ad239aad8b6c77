//! Weapon-target assignment: which battery engages which threat, in what order, with how many
//! interceptors.

use skyshield_core::SimTime;

/// What the battle manager knows of a threat when it decides.
#[derive(Debug, Clone, Copy)]
pub struct ThreatView {
    /// Index of the threat.
    pub threat: usize,
    /// Predicted time to impact, s.
    pub time_to_go_s: f64,
    /// Value (hardness deducted) of the most valuable asset its predicted impact may fall in
    /// (0: open ground).
    pub threatened_value: f64,
}

/// A battery that can engage the threat, in this decision cycle or later.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Index of the battery.
    pub battery: usize,
    /// Its tier: 0 upper, 1 mid, 2 lower.
    pub tier: u8,
    /// When its interceptors would launch (the earliest window still open to it).
    pub launch: SimTime,
    /// When they would meet the threat.
    pub intercept: SimTime,
    /// Kill probability of one interceptor there.
    pub kill_probability: f64,
    /// Cost of one interceptor, US$.
    pub cost_usd: f64,
    /// Interceptors per engagement under the doctrine (no more than its ready rounds).
    pub salvo: u32,
    /// Its ready rounds, and those it had at the start of the run.
    pub rounds: u32,
    pub capacity: u32,
    /// The largest value (hardness deducted) among the assets it defends.
    pub defended_value: f64,
}

/// A policy's decision to fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fire {
    /// The candidate that fires, an index into the candidates of this cycle.
    pub candidate: usize,
    /// Interceptors it fires (the engine keeps it between 1 and the battery's ready rounds).
    pub shots: u32,
}

/// A weapon-target assignment policy. The engine offers, for each threat in the policy's order,
/// the batteries that can fire at it within the cycle (`now`), with fire channels, rounds,
/// reserves and doctrine already respected, and those that could fire at it only in a later
/// cycle (`later`); the policy fires one of `now`, or holds fire, in which case the threat is
/// decided on again before the first of `later` can fire.
pub trait AssignmentPolicy {
    /// Sort key of a threat in a decision cycle: lower keys are served first.
    fn priority(&self, threat: &ThreatView) -> f64;
    /// The candidate of `now` to fire and its shots, or `None` to hold fire.
    fn choose(&self, threat: &ThreatView, now: &[Candidate], later: &[Candidate]) -> Option<Fire>;
}

/// The index of the candidate that meets the threat earliest, that is the outermost layer that
/// can still shoot, leaving the inner layers a later chance (ties: the higher tier).
fn earliest(candidates: &[Candidate]) -> Option<usize> {
    candidates
        .iter()
        .enumerate()
        .min_by_key(|(_, c)| (c.intercept, c.tier, c.battery))
        .map(|(i, _)| i)
}

/// The `earliest-intercept` policy of a scenario's `command.policy`, and the default: the
/// threat with the least time to go first (ties: the more valuable target first); for each, the
/// battery that meets it earliest, that is the outermost layer that can still shoot, leaving
/// the inner layers a later chance (ties: the higher tier), with the doctrine's salvo.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPolicy;

impl AssignmentPolicy for DefaultPolicy {
    fn priority(&self, threat: &ThreatView) -> f64 {
        // One second of time to go is worth more than any difference of value.
        threat.time_to_go_s - 1e-6 * threat.threatened_value
    }

    fn choose(
        &self,
        _threat: &ThreatView,
        now: &[Candidate],
        _later: &[Candidate],
    ) -> Option<Fire> {
        earliest(now).map(|i| Fire {
            candidate: i,
            shots: now[i].salvo,
        })
    }
}

/// The `value-weighted` policy: the threat to the most valuable asset first (ties: the least
/// time to go). A threat to an asset of value `v` gets `salvo × v / V` interceptors (at least
/// one), `V` being the most valuable asset the battery defends, from the battery that meets it
/// earliest; and the battery fires at it only while it keeps `capacity × (1 − v / V)` rounds
/// for threats to more valuable assets. A battery thus spends on a threat to an asset of a
/// tenth of its most valuable one's worth no more than a tenth of its rounds, and none on a
/// threat to open ground.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueWeighted;

impl AssignmentPolicy for ValueWeighted {
    fn priority(&self, threat: &ThreatView) -> f64 {
        // Value first: a unit of value outweighs any time to go (under about 11 days).
        threat.time_to_go_s - 1e6 * threat.threatened_value
    }

    fn choose(&self, threat: &ThreatView, now: &[Candidate], _later: &[Candidate]) -> Option<Fire> {
        let share = |c: &Candidate| {
            if c.defended_value > 0.0 {
                (threat.threatened_value / c.defended_value).clamp(0.0, 1.0)
            } else {
                1.0
            }
        };
        now.iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let s = share(c);
                let shots = ((f64::from(c.salvo) * s).round() as u32).clamp(1, c.salvo.max(1));
                let kept = (f64::from(c.capacity) * (1.0 - s)).ceil() as u32;
                (c.rounds >= shots + kept).then_some((i, shots))
            })
            .min_by_key(|&(i, _)| (now[i].intercept, now[i].tier, now[i].battery))
            .map(|(candidate, shots)| Fire { candidate, shots })
    }
}

/// The `cost-aware` policy: the threat with the least time to go first (as
/// [`DefaultPolicy`]); for each, the cheapest salvo, now or later, whose kill probability
/// `1 − (1 − p)^n` reaches `required_kill_probability` (ties: the earliest). When that salvo
/// is a later one, it holds fire; when no salvo reaches the requirement, the likeliest to kill
/// (ties: the earliest). Dearer outer layers are thus saved for threats only they can reach.
#[derive(Debug, Clone, Copy)]
pub struct CostAware {
    /// Kill probability required of a salvo.
    pub required_kill_probability: f64,
}

impl AssignmentPolicy for CostAware {
    fn priority(&self, threat: &ThreatView) -> f64 {
        DefaultPolicy.priority(threat)
    }

    fn choose(&self, _threat: &ThreatView, now: &[Candidate], later: &[Candidate]) -> Option<Fire> {
        let salvo_pk =
            |c: &Candidate| 1.0 - (1.0 - c.kill_probability).powi(c.salvo.min(64) as i32);
        // Candidates of `now` first, then `later`, with their place.
        let all = now
            .iter()
            .map(|c| (true, c))
            .chain(later.iter().map(|c| (false, c)))
            .enumerate();
        let order = |c: &Candidate| (c.intercept, c.tier, c.battery);
        let meeting = all
            .clone()
            .filter(|(_, (_, c))| salvo_pk(c) >= self.required_kill_probability)
            .min_by(|(_, (_, a)), (_, (_, b))| {
                (f64::from(a.salvo) * a.cost_usd)
                    .total_cmp(&(f64::from(b.salvo) * b.cost_usd))
                    .then(order(a).cmp(&order(b)))
            });
        let best = meeting.or_else(|| {
            all.max_by(|(_, (_, a)), (_, (_, b))| {
                salvo_pk(a)
                    .total_cmp(&salvo_pk(b))
                    .then(order(b).cmp(&order(a)))
            })
        })?;
        let (k, (in_now, c)) = best;
        in_now.then_some(Fire {
            candidate: k,
            shots: c.salvo,
        })
    }
}
