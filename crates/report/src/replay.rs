//! One run replayed with its events, laid out in time and space for CZML and KML.
//!
//! A [`Replay`] is run `k` played alone with a recording observer; it has the same outcome as
//! run `k` of a batch. A [`Scene`] places it on the Earth and in calendar time:
//! - each threat flies its prepared nominal trajectory (sampled every second), shifted to its
//!   launch time in the run, up to its end in the run: its impact point (with the run's aim
//!   dispersion), the intercept point, or where it failed; long flights are thinned to at most
//!   [`MAX_TRACK_SAMPLES`] samples;
//! - each interceptor launch is drawn as a straight fly-out from the battery to the intercept
//!   point, from its launch to the intercept time (the fly-out path itself is not modelled);
//!   an interceptor whose target was already dead when it arrived ends at the threat's nominal
//!   position at that time;
//! - points mark every intercept attempt (kill or miss) and every impact;
//! - every warning zone whose siren sounded in the run is an area shown from its first siren
//!   to the end of the replay, coloured by what befell it ([`crate::zones::zone_alerts`]):
//!   amber when alerted, red when an impact in it came with less lead than its shelter time,
//!   violet for a false alarm (no impact in it).
//!
//! Times are seconds from the scenario's time zero, dated from the scenario's `start`, or from
//! [`DEFAULT_EPOCH`] when it has none.

use jiff::Timestamp;
use skyshield_engine::{EngineEvent, Fate, Observer, Outcome, Prepared, Replication};
use skyshield_physics::earth::Geodetic;

use crate::ReportError;
use crate::zones::{ZoneAlert, zone_alerts};

/// Most samples of a threat's track: longer flights are thinned to every n-th second of the
/// nominal trajectory (a drone flies for hours; a second-by-second track of every threat would
/// make files of hundreds of megabytes).
pub const MAX_TRACK_SAMPLES: usize = 300;

/// Least time between successive samples of a track, s: times are written to the millisecond.
const MIN_SAMPLE_GAP_S: f64 = 0.01;

/// The date of time zero when a scenario gives no `start`: 2000-01-01T00:00:00Z.
pub const DEFAULT_EPOCH: Timestamp = Timestamp::constant(946_684_800, 0);

/// Records every event of a run.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    pub events: Vec<EngineEvent>,
}

impl Observer for Recording {
    fn event(&mut self, event: &EngineEvent) {
        self.events.push(*event);
    }
}

/// One run played alone, with its events.
#[derive(Debug, Clone)]
pub struct Replay {
    /// Master seed.
    pub seed: u64,
    pub outcome: Outcome,
    /// Every event, in the order they happened.
    pub events: Vec<EngineEvent>,
}

impl Replay {
    /// Plays run `run` of `prepared` under `seed` with the policy the scenario names, drawing parameters
    /// from their ranges when `sample_parameters` (as [`Replication::with_parameter_sampling`]).
    pub fn play(prepared: &Prepared, seed: u64, run: u64, sample_parameters: bool) -> Replay {
        let mut recording = Recording::default();
        let outcome = Replication::new()
            .with_parameter_sampling(sample_parameters)
            .run_observed(prepared, seed, run, &mut recording)
            .clone();
        Replay {
            seed,
            outcome,
            events: recording.events,
        }
    }
}

/// A point in time and space: s from time zero, degrees, metres above the ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sample {
    pub t_s: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub height_m: f64,
}

impl Sample {
    fn at(t_s: f64, g: Geodetic) -> Sample {
        Sample {
            t_s,
            lat_deg: g.lat_deg(),
            lon_deg: g.lon_deg(),
            height_m: g.height_m(),
        }
    }
}

/// What a track or a mark shows, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    Fate(Fate),
    Interceptor,
    Kill,
    Miss,
    /// Where the debris of an intercepted threat falls.
    Debris,
    /// A warning zone alerted in the run.
    Alerted,
    /// An alerted zone whose people were warned too late.
    TooLate,
    /// An alerted zone with no impact in it.
    FalseAlarm,
}

impl Look {
    /// Red, green, blue, alpha.
    pub fn rgba(self) -> [u8; 4] {
        match self {
            Look::Fate(Fate::Intercepted) | Look::Kill => [40, 200, 40, 255],
            Look::Fate(Fate::Leaked) => [230, 30, 30, 255],
            Look::Fate(Fate::IgnoredOpenArea) => [255, 165, 0, 255],
            Look::Fate(Fate::FailedInFlight) => [160, 160, 160, 255],
            Look::Interceptor => [0, 170, 255, 255],
            Look::Miss => [255, 255, 0, 255],
            Look::Debris => [139, 90, 43, 255],
            // Translucent, so that what lies below an area shows through.
            Look::Alerted => [255, 191, 0, 110],
            Look::TooLate => [230, 30, 30, 110],
            Look::FalseAlarm => [150, 100, 230, 110],
        }
    }

    /// A name for styles.
    pub fn name(self) -> &'static str {
        match self {
            Look::Fate(f) => f.name(),
            Look::Interceptor => "interceptor",
            Look::Kill => "kill",
            Look::Miss => "miss",
            Look::Debris => "debris",
            Look::Alerted => "alerted",
            Look::TooLate => "too_late",
            Look::FalseAlarm => "false_alarm",
        }
    }
}

/// A moving object: samples strictly increasing in time.
#[derive(Debug, Clone)]
pub(crate) struct Track {
    pub id: String,
    pub name: String,
    pub description: String,
    pub look: Look,
    pub samples: Vec<Sample>,
}

/// A fixed point shown from its time on.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    pub id: String,
    pub name: String,
    pub description: String,
    pub look: Look,
    pub at: Sample,
}

/// An area on the ground shown from its time on: polygons, each an outer ring and its holes,
/// each ring without the closing repetition of its first vertex. A warning zone's `id` is
/// `zone-<index of the zone in the scenario>`.
#[derive(Debug, Clone)]
pub(crate) struct Area {
    pub id: String,
    pub name: String,
    pub description: String,
    pub look: Look,
    pub t_s: f64,
    pub polygons: Vec<Vec<Vec<Geodetic>>>,
}

/// A replay laid out for display.
#[derive(Debug, Clone)]
pub(crate) struct Scene {
    pub title: String,
    pub description: String,
    pub epoch: Timestamp,
    /// First and last instants, s from time zero.
    pub begin_s: f64,
    pub end_s: f64,
    pub threats: Vec<Track>,
    pub interceptors: Vec<Track>,
    pub intercepts: Vec<Mark>,
    pub impacts: Vec<Mark>,
    /// The mean fall points of the debris of intercepted threats, shown from the intercept.
    pub debris: Vec<Mark>,
    /// The warning zones alerted in the run; `None` when the scenario has no warning.
    pub zones: Option<Vec<Area>>,
}

/// Sirens of a zone listed one by one in its description; the others are counted.
const LISTED_SIRENS: usize = 5;

/// What befell the alerted zone `name` of `population` people with `shelter_time_s`, in
/// words.
fn zone_description(
    a: &ZoneAlert,
    name: &str,
    population: f64,
    shelter_time_s: f64,
    threat_name: &dyn Fn(usize) -> String,
) -> String {
    let mut sirens: Vec<String> = a
        .sirens
        .iter()
        .take(LISTED_SIRENS)
        .map(|&(t_s, threat)| format!("{t_s:.1} s for {}", threat_name(threat)))
        .collect();
    if let Some(more) = a.sirens.len().checked_sub(LISTED_SIRENS + 1) {
        let last = a.sirens[a.sirens.len() - 1].0;
        sirens.push(format!("{} more up to {last:.1} s", more + 1));
    }
    let mut text = format!(
        "Warning zone {name}: {population:.0} people, shelter time {shelter_time_s:.0} s. {} siren(s): at {}. Under alert {:.0} s in {} period(s).",
        a.sirens.len(),
        sirens.join(", "),
        a.alert_s,
        a.alerts
    );
    match a.first_impact {
        Some((t_s, lead_s)) => text.push_str(&format!(
            " {} impact(s) in it, the first at {t_s:.1} s with {lead_s:.1} s of lead.",
            a.impacts
        )),
        None => text.push_str(" No impact in it: a false alarm."),
    }
    if a.too_late {
        text.push_str(" Warned too late: an impact came with less lead than the shelter time.");
    }
    text
}

impl Scene {
    /// Lays out `replay` of `prepared` (a scenario with geometry).
    pub fn new(prepared: &Prepared, replay: &Replay) -> Result<Scene, ReportError> {
        let o = &replay.outcome;
        let p = prepared;
        let threat_name = |i: usize| {
            let t = &p.types[p.threats[i].group];
            format!("{} #{i} ({})", t.group, t.type_id)
        };
        // Where threat `i` is `t_s` after time zero, on its nominal trajectory.
        let nominal = |i: usize, t_s: f64| {
            let traj = &p.trajectories[p.threats[i].trajectory];
            let since = t_s - o.threats[i].launch_s;
            let k = traj
                .times_s
                .partition_point(|&x| x <= since)
                .saturating_sub(1);
            Sample::at(t_s, Geodetic::from_ecef(traj.positions[k]))
        };
        let mut threats = Vec::with_capacity(o.threats.len());
        let mut impacts = Vec::new();
        let mut debris = Vec::new();
        for (i, t) in o.threats.iter().enumerate() {
            if let Some((lat_deg, lon_deg)) = t.debris {
                debris.push(Mark {
                    id: format!("debris-{i}"),
                    name: format!("debris of {}", threat_name(i)),
                    description: format!(
                        "where the debris of {} falls (the mean fall point, before the fragments' scatter), intercepted at {:.1} s",
                        threat_name(i),
                        t.time_s
                    ),
                    look: Look::Debris,
                    at: Sample {
                        t_s: t.time_s,
                        lat_deg,
                        lon_deg,
                        height_m: 0.0,
                    },
                });
            }
            let traj = &p.trajectories[p.threats[i].trajectory];
            let flown = traj
                .times_s
                .partition_point(|&dt| t.launch_s + dt + MIN_SAMPLE_GAP_S < t.time_s);
            let stride = flown.div_ceil(MAX_TRACK_SAMPLES).max(1);
            let mut samples: Vec<Sample> = (0..flown)
                .step_by(stride)
                .map(|k| {
                    Sample::at(
                        t.launch_s + traj.times_s[k],
                        Geodetic::from_ecef(traj.positions[k]),
                    )
                })
                .collect();
            let end_height_m = match t.fate {
                Fate::Intercepted => t.height_m,
                Fate::FailedInFlight => nominal(i, t.time_s).height_m,
                Fate::Leaked | Fate::IgnoredOpenArea => 0.0,
            };
            let end = Sample {
                t_s: t.time_s,
                lat_deg: t.lat_deg,
                lon_deg: t.lon_deg,
                height_m: end_height_m,
            };
            samples.push(end);
            let mut description = format!(
                "{}: launched at {:.1} s, {} at {:.1} s; {} interceptor(s) fired at it",
                threat_name(i),
                t.launch_s,
                t.fate.name(),
                t.time_s,
                t.shots
            );
            if let Some(a) = t.asset {
                description.push_str(&format!("; hit {}", p.asset_ids[a]));
            }
            if let Some(cause) = t.leak_cause {
                description.push_str(&format!("; leaked for {}", cause.name()));
            }
            if matches!(t.fate, Fate::Leaked | Fate::IgnoredOpenArea) {
                impacts.push(Mark {
                    id: format!("impact-{i}"),
                    name: format!("impact of {}", threat_name(i)),
                    description: description.clone(),
                    look: Look::Fate(t.fate),
                    at: end,
                });
            }
            threats.push(Track {
                id: format!("threat-{i}"),
                name: threat_name(i),
                description,
                look: Look::Fate(t.fate),
                samples,
            });
        }
        let mut interceptors = Vec::new();
        let mut intercepts = Vec::new();
        for (n, e) in replay.events.iter().enumerate() {
            match *e {
                EngineEvent::InterceptorLaunch {
                    time_s,
                    battery,
                    threat,
                    shots,
                    intercept_s,
                } => {
                    let b = &p.batteries[battery];
                    let end = replay.events[n..]
                        .iter()
                        .find_map(|later| match *later {
                            EngineEvent::Intercept {
                                time_s: at,
                                battery: bb,
                                threat: tt,
                                lat_deg,
                                lon_deg,
                                height_m,
                                ..
                            } if at == intercept_s && bb == battery && tt == threat => {
                                Some(Sample {
                                    t_s: at,
                                    lat_deg,
                                    lon_deg,
                                    height_m,
                                })
                            }
                            _ => None,
                        })
                        .unwrap_or_else(|| nominal(threat, intercept_s));
                    let mut samples = vec![Sample::at(time_s, b.position)];
                    if end.t_s > time_s + MIN_SAMPLE_GAP_S {
                        samples.push(end);
                    }
                    interceptors.push(Track {
                        id: format!("interceptor-{}", interceptors.len()),
                        name: format!("{} ({}) at {}", b.id, b.type_id, threat_name(threat)),
                        description: format!(
                            "{shots} {} interceptor(s) from {} at {time_s:.1} s, intercept at {intercept_s:.1} s",
                            b.type_id, b.id
                        ),
                        look: Look::Interceptor,
                        samples,
                    });
                }
                EngineEvent::Intercept {
                    time_s,
                    battery,
                    threat,
                    killed,
                    lat_deg,
                    lon_deg,
                    height_m,
                } => {
                    let what = if killed { "kill" } else { "miss" };
                    intercepts.push(Mark {
                        id: format!("intercept-{}", intercepts.len()),
                        name: format!(
                            "{what}: {} on {}",
                            p.batteries[battery].id,
                            threat_name(threat)
                        ),
                        description: format!(
                            "{what} by {} at {time_s:.1} s, {:.0} m high",
                            p.batteries[battery].id, height_m
                        ),
                        look: if killed { Look::Kill } else { Look::Miss },
                        at: Sample {
                            t_s: time_s,
                            lat_deg,
                            lon_deg,
                            height_m,
                        },
                    });
                }
                _ => {}
            }
        }
        let times = threats
            .iter()
            .chain(&interceptors)
            .flat_map(|t| t.samples.iter().map(|s| s.t_s));
        let (begin_s, end_s) = times.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
            (a.min(t), b.max(t))
        });
        let (begin_s, end_s) = if begin_s <= end_s {
            (begin_s, end_s)
        } else {
            (0.0, 0.0)
        };
        let (epoch, dated) = match p.start {
            Some(start) => (
                start,
                format!("Times are dated from the scenario's start, {start}."),
            ),
            None => (
                DEFAULT_EPOCH,
                format!("The scenario gives no start: its time zero is shown as {DEFAULT_EPOCH}."),
            ),
        };
        let zones: Option<Vec<Area>> = p.warning.as_ref().map(|w| {
            zone_alerts(o)
                .iter()
                .map(|a| {
                    let zone = &w.zones[a.zone];
                    Area {
                        id: format!("zone-{}", a.zone),
                        name: zone.name.clone(),
                        description: zone_description(
                            a,
                            &zone.name,
                            zone.population,
                            zone.shelter_time_s,
                            &threat_name,
                        ),
                        look: if a.too_late {
                            Look::TooLate
                        } else if a.false_alarm {
                            Look::FalseAlarm
                        } else {
                            Look::Alerted
                        },
                        t_s: a.siren_s(),
                        polygons: zone.polygons.clone(),
                    }
                })
                .collect()
        });
        let sirens = match &zones {
            Some(z) => format!(
                " {} warning zone(s) alerted, shown from their first siren to the end of the run.",
                z.len()
            ),
            None => String::new(),
        };
        let scene = Scene {
            title: format!("{}: run {}", p.name, o.run),
            description: format!(
                "Run {} of {} (seed {}): {} intercepted, {} leaked, {} ignored in open ground, {} failed in flight.{sirens} {dated} Interceptors are drawn as straight fly-outs from the battery to the intercept point.",
                o.run,
                p.name,
                replay.seed,
                o.count(Fate::Intercepted),
                o.count(Fate::Leaked),
                o.count(Fate::IgnoredOpenArea),
                o.count(Fate::FailedInFlight),
            ),
            epoch,
            begin_s,
            end_s,
            threats,
            interceptors,
            intercepts,
            impacts,
            debris,
            zones,
        };
        scene.time(begin_s)?;
        scene.time(end_s)?;
        Ok(scene)
    }

    /// The calendar time `t_s` after time zero, to the millisecond, as ISO 8601 in UTC.
    pub fn time(&self, t_s: f64) -> Result<String, ReportError> {
        let ms = self
            .epoch
            .as_millisecond()
            .saturating_add((t_s * 1e3).round() as i64);
        Timestamp::from_millisecond(ms)
            .map(|t| t.to_string())
            .map_err(|e| ReportError::Time {
                message: format!("{t_s} s after {}: {e}", self.epoch),
            })
    }
}
