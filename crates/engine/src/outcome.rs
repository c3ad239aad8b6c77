//! What a run produces: the fate of every threat, what each battery did, the civil warning,
//! and the events reported along the way.

/// How a threat ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Killed by an interceptor.
    Intercepted,
    /// Reached the ground (in a defended asset or not).
    Leaked,
    /// Not engaged because it was predicted to fall in open ground, and it did.
    IgnoredOpenArea,
    /// Failed in flight.
    FailedInFlight,
}

impl Fate {
    /// Every fate.
    pub const ALL: [Fate; 4] = [
        Fate::Intercepted,
        Fate::Leaked,
        Fate::IgnoredOpenArea,
        Fate::FailedInFlight,
    ];

    /// Its place in [`Fate::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Fate::Intercepted => "intercepted",
            Fate::Leaked => "leaked",
            Fate::IgnoredOpenArea => "ignored_open_area",
            Fate::FailedInFlight => "failed_in_flight",
        }
    }
}

/// Why a threat leaked: one cause per leaker, the first that applies in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeakCause {
    /// No battery's envelope meets its trajectory.
    OutOfReach,
    /// No sensor ever tracked it.
    NeverDetected,
    /// It was engaged, and judged killed after a miss.
    JudgedKilledWrongly,
    /// It was engaged, and every shot missed.
    AllShotsMissed,
    /// It was judged to fall in open ground and fell in a defended asset.
    JudgedHarmlessWrongly,
    /// The batteries that could reach it could not engage it: none defends what it threatened,
    /// or none had a track it may fire on.
    NoWindow,
    /// Its track came too late: every window had closed before a battery could fire, or its
    /// tracks had ended.
    TrackedTooLate,
    /// The batteries that could still engage it had no rounds left for it (empty, or held in
    /// reserve).
    NoRounds,
    /// The batteries that could still engage it had every fire channel busy.
    NoFreeChannel,
}

impl LeakCause {
    /// Every cause, in the order of the classification.
    pub const ALL: [LeakCause; 9] = [
        LeakCause::OutOfReach,
        LeakCause::NeverDetected,
        LeakCause::JudgedKilledWrongly,
        LeakCause::AllShotsMissed,
        LeakCause::JudgedHarmlessWrongly,
        LeakCause::NoWindow,
        LeakCause::TrackedTooLate,
        LeakCause::NoRounds,
        LeakCause::NoFreeChannel,
    ];

    /// Its place in [`LeakCause::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            LeakCause::OutOfReach => "out_of_reach",
            LeakCause::NeverDetected => "never_detected",
            LeakCause::JudgedKilledWrongly => "judged_killed_wrongly",
            LeakCause::AllShotsMissed => "all_shots_missed",
            LeakCause::JudgedHarmlessWrongly => "judged_harmless_wrongly",
            LeakCause::NoWindow => "no_window",
            LeakCause::TrackedTooLate => "tracked_too_late",
            LeakCause::NoRounds => "no_rounds",
            LeakCause::NoFreeChannel => "no_free_channel",
        }
    }
}

/// The end of one threat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreatOutcome {
    pub fate: Fate,
    /// When it was launched (nominal launch time plus the run's jitter), s.
    pub launch_s: f64,
    /// Interceptors fired at it.
    pub shots: u32,
    /// When it ended, s.
    pub time_s: f64,
    /// Where: the impact point, the intercept's ground point, or where it failed.
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Height of an intercept, m (0 otherwise).
    pub height_m: f64,
    /// The battery that killed it, index into [`crate::Prepared::batteries`].
    pub battery: Option<usize>,
    /// The asset its impact fell in, index into [`crate::Prepared::asset_ids`].
    pub asset: Option<usize>,
    /// Where the debris of an intercepted threat fell.
    pub debris: Option<(f64, f64)>,
    /// Why it leaked (a leaker only).
    pub leak_cause: Option<LeakCause>,
}

/// What one battery did in a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatteryTally {
    /// Interceptors fired.
    pub shots: u32,
    pub kills: u32,
    /// Rounds loaded onto its launchers from its depot.
    pub reloaded: u32,
    /// Ready rounds on its launchers at the end.
    pub rounds_left: u32,
}

/// The counts of a run's threats: per fate and, of the leakers, per cause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// In the order of [`Fate::ALL`].
    pub fates: [u32; 4],
    /// In the order of [`LeakCause::ALL`].
    pub leak_causes: [u32; 9],
}

impl Tally {
    /// The counts of `threats`, in one pass.
    pub fn of(threats: &[ThreatOutcome]) -> Tally {
        // Counted without a branch on whether a threat leaked: those that did not go to a
        // tenth count, dropped.
        let mut fates = [0; 4];
        let mut causes = [0; 10];
        for t in threats {
            fates[t.fate.index()] += 1;
            causes[t.leak_cause.map_or(9, LeakCause::index)] += 1;
        }
        let mut leak_causes = [0; 9];
        leak_causes.copy_from_slice(&causes[..9]);
        Tally { fates, leak_causes }
    }
}

/// The result of one replication.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Run index.
    pub run: u64,
    /// Per threat, in the order of [`crate::Prepared::threats`]; empty when the replication
    /// was told to leave it so ([`crate::Replication::set_threat_outcomes`]).
    pub threats: Vec<ThreatOutcome>,
    /// The counts of the threats' fates and leak causes, written by every run.
    pub tally: Tally,
    /// Per battery, in the order of [`crate::Prepared::batteries`].
    pub batteries: Vec<BatteryTally>,
    /// Cost of the interceptors fired, US$.
    pub defense_cost_usd: f64,
    /// Cost of the threats launched, US$.
    pub offense_cost_usd: f64,
    /// Civil warning (empty when the scenario has none).
    pub warning: WarningOutcome,
}

impl Outcome {
    /// Number of leakers of each cause, in the order of [`LeakCause::ALL`].
    pub fn leak_causes(&self) -> [usize; 9] {
        self.tally.leak_causes.map(|c| c as usize)
    }

    /// Number of threats with fate `fate`.
    pub fn count(&self, fate: Fate) -> usize {
        self.counts()[fate.index()]
    }

    /// Number of threats of each fate, in the order of [`Fate::ALL`].
    pub fn counts(&self) -> [usize; 4] {
        self.tally.fates.map(|c| c as usize)
    }
}

/// Something that happened in a run, for event logs and replays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EngineEvent {
    Launch {
        time_s: f64,
        threat: usize,
    },
    /// A threat's launch detected from space; with civil warning, also a threat's first track
    /// when no such detection came before it.
    EarlyWarning {
        time_s: f64,
        threat: usize,
    },
    Track {
        time_s: f64,
        sensor: usize,
        threat: usize,
    },
    TrackLost {
        time_s: f64,
        sensor: usize,
        threat: usize,
    },
    Decision {
        time_s: f64,
        threat: usize,
        battery: Option<usize>,
        time_to_go_s: f64,
        threatened_value: f64,
    },
    InterceptorLaunch {
        time_s: f64,
        battery: usize,
        threat: usize,
        shots: u32,
        intercept_s: f64,
    },
    Intercept {
        time_s: f64,
        battery: usize,
        threat: usize,
        killed: bool,
        lat_deg: f64,
        lon_deg: f64,
        height_m: f64,
    },
    Assessment {
        time_s: f64,
        threat: usize,
        seen_alive: bool,
    },
    Failure {
        time_s: f64,
        threat: usize,
    },
    Impact {
        time_s: f64,
        threat: usize,
        lat_deg: f64,
        lon_deg: f64,
        asset: Option<usize>,
    },
    /// A warning zone's siren sounded for a threat (see [`crate::warning`]): the siren region
    /// is the circle of `radius_m` about its centre, given in the plane of the threat's
    /// trajectory's nominal impact point (`east_m`, `north_m`) and on the ground.
    Siren {
        time_s: f64,
        zone: usize,
        threat: usize,
        east_m: f64,
        north_m: f64,
        lat_deg: f64,
        lon_deg: f64,
        radius_m: f64,
    },
}

/// Receives the events of a run.
pub trait Observer {
    /// Whether it looks at events at all: when not, the run skips the events that exist only to
    /// be reported (interceptor launches, early warnings), which changes nothing else.
    const ACTIVE: bool = true;
    /// Whether it takes the time each stage of the run takes ([`Observer::stage_time`]); the
    /// clock is read only for such an observer.
    const TIMED: bool = false;
    fn event(&mut self, event: &EngineEvent);
    /// Stage `stage` of the run took `elapsed` (called many times a run, for a timed observer).
    fn stage_time(&mut self, _stage: Stage, _elapsed: std::time::Duration) {}
}

/// The stages of a run, as a timed [`Observer`] sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The draws made up front (launches, failures, aim, detections), the timeline of what
    /// follows from the launches, and the run's state reset.
    Draws,
    /// Taking the next event from the timeline, the queue or the decision cycle.
    Queue,
    /// Launches, fire-control tracks, tracks lost and early-warning cues.
    Sensing,
    /// Decision cycles and the wakes and rechecks that put threats in them: threat evaluation
    /// and weapon-target assignment.
    Decisions,
    /// Interceptor launches, intercepts, kill assessments and reloads.
    Engagements,
    /// Failures in flight, impacts, sirens, and the tallies at the end of the run.
    Outcome,
}

impl Stage {
    /// Every stage, in the order of [`Stage::index`].
    pub const ALL: [Stage; 6] = [
        Stage::Draws,
        Stage::Queue,
        Stage::Sensing,
        Stage::Decisions,
        Stage::Engagements,
        Stage::Outcome,
    ];

    /// Its place in [`Stage::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Stage::Draws => "draws and timeline",
            Stage::Queue => "event queue",
            Stage::Sensing => "sensing",
            Stage::Decisions => "decisions",
            Stage::Engagements => "engagements",
            Stage::Outcome => "outcome",
        }
    }
}

/// An observer that ignores everything (no cost).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl Observer for NoObserver {
    const ACTIVE: bool = false;
    #[inline]
    fn event(&mut self, _event: &EngineEvent) {}
}

/// A siren that sounded in a zone for a threat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Siren {
    /// Zone, index into [`crate::WarningPlan::zones`].
    pub zone: usize,
    /// Threat, index into [`crate::Prepared::threats`].
    pub threat: usize,
    pub time_s: f64,
}

/// An impact (a leaker's, or debris) in a warning zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneImpact {
    pub zone: usize,
    pub threat: usize,
    pub time_s: f64,
    /// Debris of an intercepted threat (otherwise the threat itself).
    pub debris: bool,
    /// Time from the zone's siren for this threat (or, without one, from the start of the
    /// zone's alert period) to the impact, s (0: not warned).
    pub lead_s: f64,
}

/// What one zone saw in a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ZoneTally {
    /// Alert periods.
    pub alerts: u32,
    /// Impacts in it.
    pub impacts: u32,
    /// Time under alert, s.
    pub alert_s: f64,
    /// Whether an impact in it came with less lead than its shelter time.
    pub too_late: bool,
}

/// The civil warning of one run (empty when the scenario has no warning).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WarningOutcome {
    /// Every siren, in the order they sounded.
    pub sirens: Vec<Siren>,
    /// Every impact in a zone, in time order of the events that caused them.
    pub impacts: Vec<ZoneImpact>,
    /// Lead time of each early-warned threat's early warning before its arrival, s.
    pub early_warning_lead_s: Vec<f64>,
    /// Per zone.
    pub zones: Vec<ZoneTally>,
    /// Zones alerted with no impact in them.
    pub false_alarm_zones: u32,
    /// Their people.
    pub false_alarm_people: f64,
    /// People in zones where an impact came with less lead than their shelter time.
    pub too_late_people: f64,
    /// People times minutes under alert.
    pub people_minutes: f64,
}
