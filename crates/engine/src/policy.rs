//! Weapon-target assignment: which battery engages which threat, and in what order.

use skyshield_core::SimTime;

/// What the battle manager knows of a threat when it decides.
#[derive(Debug, Clone, Copy)]
pub struct ThreatView {
    /// Index of the threat.
    pub threat: usize,
    /// Predicted time to impact, s.
    pub time_to_go_s: f64,
    /// Value of the most valuable asset its predicted impact may fall in (0: open ground).
    pub threatened_value: f64,
}

/// A battery that can engage the threat in this decision cycle.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Index of the battery.
    pub battery: usize,
    /// Its tier: 0 upper, 1 mid, 2 lower.
    pub tier: u8,
    /// When its interceptors would launch.
    pub launch: SimTime,
    /// When they would meet the threat.
    pub intercept: SimTime,
    /// Kill probability of one interceptor there.
    pub kill_probability: f64,
}

/// A weapon-target assignment policy. The engine offers, for each threat in the policy's order,
/// the batteries that can fire at it within the cycle, with fire channels, rounds and doctrine
/// already respected; the policy picks one or none.
pub trait AssignmentPolicy {
    /// Sort key of a threat in a decision cycle: lower keys are served first.
    fn priority(&self, threat: &ThreatView) -> f64;
    /// The candidate to fire, as an index into `candidates`, or `None` to hold fire.
    fn choose(&self, threat: &ThreatView, candidates: &[Candidate]) -> Option<usize>;
}

/// The `earliest-intercept` policy of a scenario's `command.policy`, and the default: the
/// threat with the least time to go first (ties: the more valuable target first); for each, the
/// battery that meets it earliest, that is the outermost layer that can still shoot, leaving
/// the inner layers a later chance (ties: the higher tier).
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPolicy;

impl AssignmentPolicy for DefaultPolicy {
    fn priority(&self, threat: &ThreatView) -> f64 {
        // One second of time to go is worth more than any difference of value.
        threat.time_to_go_s - 1e-6 * threat.threatened_value
    }

    fn choose(&self, _threat: &ThreatView, candidates: &[Candidate]) -> Option<usize> {
        candidates
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| (c.intercept, c.tier, c.battery))
            .map(|(i, _)| i)
    }
}
