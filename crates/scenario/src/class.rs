//! What a catalog type is: its kind (threat, interceptor, sensor), its class (which model
//! flies or runs it), the parameters its class requires or accepts, and their units.

use std::fmt;

use serde::Deserialize;
use skyshield_physics::units::STANDARD_GRAVITY_M_S2;

/// What a catalog entry describes; each kind has its own file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `threats.yaml`.
    Threat,
    /// `interceptors.yaml`.
    Interceptor,
    /// `sensors.yaml`.
    Sensor,
}

impl Kind {
    /// Every kind, in catalog order.
    pub const ALL: [Kind; 3] = [Kind::Threat, Kind::Interceptor, Kind::Sensor];

    /// `threat`, `interceptor` or `sensor`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Threat => "threat",
            Kind::Interceptor => "interceptor",
            Kind::Sensor => "sensor",
        }
    }

    /// Path of the kind's file, from the repository root.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Threat => "catalog/threats.yaml",
            Kind::Interceptor => "catalog/interceptors.yaml",
            Kind::Sensor => "catalog/sensors.yaml",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The class of a catalog entry: which model flies or runs it, and which parameters it needs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Ballistic missile (SRBM, MRBM).
    Ballistic,
    /// Quasi-ballistic missile: depressed trajectory with a terminal manoeuvre.
    QuasiBallistic,
    /// Unguided or simply guided artillery rocket.
    Rocket,
    /// Cruise missile.
    Cruise,
    /// One-way attack drone.
    Drone,
    /// Interceptor missile.
    Interceptor,
    /// Ground or ship radar.
    Radar,
    /// Space-based infrared early warning.
    SpaceIr,
}

/// The layer an interceptor belongs to (catalog key `tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Exo-atmospheric and high-endo upper tier.
    Upper,
    /// Mid tier.
    Mid,
    /// Lower (point-defense) tier.
    Lower,
}

impl Tier {
    /// Every tier, outermost first.
    pub const ALL: [Tier; 3] = [Tier::Upper, Tier::Mid, Tier::Lower];

    /// The word used in catalog files.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Upper => "upper",
            Tier::Mid => "mid",
            Tier::Lower => "lower",
        }
    }

    /// The tier of this word.
    pub fn from_name(name: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Its rank, outermost first: 0 upper, 1 mid, 2 lower.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// How a radar scans (catalog key `scanning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scanning {
    /// A mechanically rotating antenna: it looks again in a direction once per turn, so a first
    /// detection is confirmed on the scans that follow.
    Rotating,
    /// An electronically scanned array: it sends confirmation beams to a first detection
    /// (catalog key `confirmation_dwell_s` between them) while it keeps searching.
    Electronic,
}

impl Scanning {
    /// Every kind.
    pub const ALL: [Scanning; 2] = [Scanning::Rotating, Scanning::Electronic];

    /// The word used in catalog files.
    pub fn name(self) -> &'static str {
        match self {
            Scanning::Rotating => "rotating",
            Scanning::Electronic => "electronic",
        }
    }

    /// The kind of this word.
    pub fn from_name(name: &str) -> Option<Scanning> {
        Scanning::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The type of a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// A number, possibly with a range.
    Number,
    /// `true` or `false`.
    Bool,
    /// A word.
    Text,
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueType::Number => "a number",
            ValueType::Bool => "a boolean",
            ValueType::Text => "a string",
        })
    }
}

const THREAT_COMMON: &[(&str, ValueType)] = &[
    ("max_range_km", ValueType::Number),
    ("min_range_km", ValueType::Number),
    ("reliability", ValueType::Number),
    ("cep_m", ValueType::Number),
    ("rcs_m2", ValueType::Number),
    ("cost_usd", ValueType::Number),
];

const ROCKET_POWERED: &[(&str, ValueType)] = &[
    ("launch_mass_kg", ValueType::Number),
    ("propellant_mass_kg", ValueType::Number),
    ("burn_time_s", ValueType::Number),
    ("isp_s", ValueType::Number),
    ("diameter_m", ValueType::Number),
    ("separating", ValueType::Bool),
    ("rv_mass_kg", ValueType::Number),
    ("rv_diameter_m", ValueType::Number),
    ("terminal_manoeuvre_g", ValueType::Number),
];

const AIR_BREATHING: &[(&str, ValueType)] = &[
    ("speed_m_s", ValueType::Number),
    ("cruise_altitude_m", ValueType::Number),
];

const INTERCEPTOR: &[(&str, ValueType)] = &[
    ("tier", ValueType::Text),
    ("min_altitude_km", ValueType::Number),
    ("max_altitude_km", ValueType::Number),
    ("min_range_km", ValueType::Number),
    ("max_range_km", ValueType::Number),
    ("speed_m_s", ValueType::Number),
    ("min_flight_time_s", ValueType::Number),
    ("reaction_time_s", ValueType::Number),
    ("reload_time_s", ValueType::Number),
    ("launchers", ValueType::Number),
    ("rounds_per_launcher", ValueType::Number),
    ("fire_channels", ValueType::Number),
    ("cost_usd", ValueType::Number),
    ("kill_probability_ballistic", ValueType::Number),
    ("kill_probability_quasi_ballistic", ValueType::Number),
    ("kill_probability_rocket", ValueType::Number),
    ("kill_probability_cruise", ValueType::Number),
    ("kill_probability_drone", ValueType::Number),
    ("manoeuvre_kill_factor", ValueType::Number),
];

const RADAR: &[(&str, ValueType)] = &[
    ("detection_range_km", ValueType::Number),
    ("reference_rcs_m2", ValueType::Number),
    ("azimuth_sector_deg", ValueType::Number),
    ("min_elevation_deg", ValueType::Number),
    ("max_elevation_deg", ValueType::Number),
    ("scanning", ValueType::Text),
    ("scan_period_s", ValueType::Number),
    ("confirmation_dwell_s", ValueType::Number),
    ("track_revisit_s", ValueType::Number),
    ("detection_probability", ValueType::Number),
    ("detections_to_track", ValueType::Number),
    ("track_capacity", ValueType::Number),
    ("antenna_height_m", ValueType::Number),
];

const SPACE_IR: &[(&str, ValueType)] = &[
    ("latency_s", ValueType::Number),
    ("detection_probability", ValueType::Number),
    ("min_burn_time_s", ValueType::Number),
];

/// Parameters that no model reads yet, accepted (with this type) in catalog entries and
/// overrides, with the classes they belong to: a threat's warhead mass, and whether an
/// interceptor intercepts outside the atmosphere.
const NOT_YET_MODELLED: &[(&str, ValueType, &[Kind])] = &[
    ("warhead_kg", ValueType::Number, &[Kind::Threat]),
    ("exo_atmospheric", ValueType::Bool, &[Kind::Interceptor]),
];

/// Parameters that count things: positive integers.
pub const COUNT_PARAMETERS: &[&str] = &[
    "launchers",
    "rounds_per_launcher",
    "fire_channels",
    "detections_to_track",
    "track_capacity",
];

impl Class {
    /// Every class.
    pub const ALL: [Class; 8] = [
        Class::Ballistic,
        Class::QuasiBallistic,
        Class::Rocket,
        Class::Cruise,
        Class::Drone,
        Class::Interceptor,
        Class::Radar,
        Class::SpaceIr,
    ];

    /// The threat classes, in the order of the `kill_probability_<class>` family.
    pub const THREATS: [Class; 5] = [
        Class::Ballistic,
        Class::QuasiBallistic,
        Class::Rocket,
        Class::Cruise,
        Class::Drone,
    ];

    /// The name used in files (`quasi_ballistic`).
    pub fn name(self) -> &'static str {
        match self {
            Class::Ballistic => "ballistic",
            Class::QuasiBallistic => "quasi_ballistic",
            Class::Rocket => "rocket",
            Class::Cruise => "cruise",
            Class::Drone => "drone",
            Class::Interceptor => "interceptor",
            Class::Radar => "radar",
            Class::SpaceIr => "space_ir",
        }
    }

    /// The class with this file name.
    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The kind of entry of this class.
    pub fn kind(self) -> Kind {
        match self {
            Class::Ballistic
            | Class::QuasiBallistic
            | Class::Rocket
            | Class::Cruise
            | Class::Drone => Kind::Threat,
            Class::Interceptor => Kind::Interceptor,
            Class::Radar | Class::SpaceIr => Kind::Sensor,
        }
    }

    /// Whether the class flies a rocket-powered ballistic or quasi-ballistic trajectory.
    pub fn is_rocket_powered(self) -> bool {
        matches!(
            self,
            Class::Ballistic | Class::QuasiBallistic | Class::Rocket
        )
    }

    /// Whether the class flies waypoints (cruise missiles, drones).
    pub fn flies_route(self) -> bool {
        matches!(self, Class::Cruise | Class::Drone)
    }

    /// Parameters an entry of this class may have that no model reads yet, with their type
    /// (`catalog/README.md`).
    pub fn not_yet_modelled_parameters(self) -> Vec<(&'static str, ValueType)> {
        NOT_YET_MODELLED
            .iter()
            .filter(|(_, _, kinds)| kinds.contains(&self.kind()))
            .map(|&(key, ty, _)| (key, ty))
            .collect()
    }

    /// Every parameter an entry of this class must have, with its type (`catalog/README.md`):
    /// those some model reads.
    pub fn required_parameters(self) -> Vec<(&'static str, ValueType)> {
        let mut out: Vec<(&'static str, ValueType)> = Vec::new();
        match self {
            Class::Ballistic | Class::QuasiBallistic | Class::Rocket => {
                out.extend_from_slice(THREAT_COMMON);
                out.extend_from_slice(ROCKET_POWERED);
                if self == Class::QuasiBallistic {
                    out.push(("max_apogee_km", ValueType::Number));
                }
                if self == Class::Rocket {
                    out.push(("dispersion_pct_of_range", ValueType::Number));
                }
            }
            Class::Cruise | Class::Drone => {
                out.extend_from_slice(THREAT_COMMON);
                out.extend_from_slice(AIR_BREATHING);
            }
            Class::Interceptor => out.extend_from_slice(INTERCEPTOR),
            Class::Radar => out.extend_from_slice(RADAR),
            Class::SpaceIr => out.extend_from_slice(SPACE_IR),
        }
        out
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The unit of a parameter, read from the suffix of its key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// Symbol of the unit of the key (`km`), empty for pure numbers.
    pub symbol: &'static str,
    /// Factor from the key's unit to SI.
    pub si_factor: f64,
    /// Symbol of the SI unit (`m`).
    pub si_symbol: &'static str,
}

/// The unit of a parameter key, from its suffix: `_km`, `_m`, `_m2`, `_m_s`, `_kg`, `_s`,
/// `_deg` (SI: radians), `_g` (SI: m/s², by the standard gravity of the physics crate), `_usd`,
/// `_pct_of_range` (SI: a fraction). Keys without a suffix (probabilities, counts, factors)
/// are pure numbers.
pub fn unit_of(key: &str) -> Unit {
    const TABLE: &[(&str, &str, f64, &str)] = &[
        ("_pct_of_range", "% of range", 0.01, "fraction of range"),
        ("_m_s", "m/s", 1.0, "m/s"),
        ("_m2", "m²", 1.0, "m²"),
        ("_km", "km", 1000.0, "m"),
        ("_kg", "kg", 1.0, "kg"),
        ("_deg", "deg", std::f64::consts::PI / 180.0, "rad"),
        ("_usd", "USD", 1.0, "USD"),
        ("_g", "g", STANDARD_GRAVITY_M_S2, "m/s²"),
        ("_s", "s", 1.0, "s"),
        ("_m", "m", 1.0, "m"),
    ];
    TABLE
        .iter()
        .find(|(suffix, ..)| key.ends_with(suffix))
        .map_or(
            Unit {
                symbol: "",
                si_factor: 1.0,
                si_symbol: "",
            },
            |&(_, symbol, si_factor, si_symbol)| Unit {
                symbol,
                si_factor,
                si_symbol,
            },
        )
}

/// Whether a parameter is a probability (kept in [0, 1]).
pub fn is_probability(key: &str) -> bool {
    key.contains("probability") || key == "reliability" || key == "manoeuvre_kill_factor"
}
