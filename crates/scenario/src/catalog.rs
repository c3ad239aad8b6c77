//! The built-in catalog of threat, interceptor and sensor types (`catalog/*.yaml` at the
//! repository root, compiled in).
//!
//! Every parameter carries its source: a key of the entry's `sources`, which holds the full
//! citation. Where sources disagree a parameter has a `low`/`high` range around its `nominal`
//! value. The format is described in `catalog/README.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use skyshield_physics::ballistic::STANDARD_GRAVITY_M_S2;

use crate::de::from_node;
use crate::diag::{Diagnostic, Diagnostics, Pos, Problems, closest};
use crate::located::Located;
use crate::node;
use crate::uncertain::{Uncertain, UncertainError};

/// Text of `catalog/threats.yaml`.
pub const THREATS_YAML: &str = include_str!("../../../catalog/threats.yaml");
/// Text of `catalog/interceptors.yaml`.
pub const INTERCEPTORS_YAML: &str = include_str!("../../../catalog/interceptors.yaml");
/// Text of `catalog/sensors.yaml`.
pub const SENSORS_YAML: &str = include_str!("../../../catalog/sensors.yaml");

static BUILT_IN: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();

/// The built-in catalog, parsed on first use.
///
/// # Panics
/// When the compiled-in catalog files do not parse; the crate's tests rule that out.
pub fn catalog() -> &'static Catalog {
    match try_catalog() {
        Ok(catalog) => catalog,
        Err(err) => panic!("the built-in catalog does not parse:\n{err}"),
    }
}

/// The built-in catalog, parsed on first use, or why it does not parse.
pub fn try_catalog() -> Result<&'static Catalog, &'static CatalogError> {
    BUILT_IN
        .get_or_init(|| Catalog::from_sources(THREATS_YAML, INTERCEPTORS_YAML, SENSORS_YAML))
        .as_ref()
}

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
    ("scan_period_s", ValueType::Number),
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
/// overrides, with the classes they belong to: a threat's warhead mass, whether an
/// interceptor intercepts outside the atmosphere, and a launcher's reload time (all rounds are
/// on the launchers).
const NOT_YET_MODELLED: &[(&str, ValueType, &[Kind])] = &[
    ("warhead_kg", ValueType::Number, &[Kind::Threat]),
    ("exo_atmospheric", ValueType::Bool, &[Kind::Interceptor]),
    ("reload_time_s", ValueType::Number, &[Kind::Interceptor]),
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

/// The nominal value of a parameter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A word.
    Text(String),
}

impl Value {
    /// The type of the value.
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Number(_) => ValueType::Number,
            Value::Bool(_) => ValueType::Bool,
            Value::Text(_) => ValueType::Text,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(x) => write!(f, "{x}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a boolean or a string")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// One source key or a list of them.
struct OneOrMany(Vec<String>);

struct OneOrManyVisitor;

impl<'de> Visitor<'de> for OneOrManyVisitor {
    type Value = OneOrMany;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source key or a list of source keys")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
        Ok(OneOrMany(vec![v.to_owned()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
        let mut keys = Vec::new();
        while let Some(k) = seq.next_element::<String>()? {
            keys.push(k);
        }
        Ok(OneOrMany(keys))
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

/// One parameter of a catalog entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Parameter {
    /// The value used when nothing else is said.
    pub nominal: Value,
    /// Lowest plausible value (numbers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// Highest plausible value (numbers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// Keys of the entry's `sources` this value comes from.
    pub source: Vec<String>,
    /// Remark on how the value was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Parameter {
    /// The value as a range; `None` unless it is a number. `low`/`high` default to `nominal`.
    /// The order of the bounds is not checked here ([`Catalog::check`] does).
    pub fn uncertain(&self) -> Option<Uncertain> {
        match self.nominal {
            Value::Number(nominal) => Some(Uncertain {
                low: self.low.unwrap_or(nominal),
                nominal,
                high: self.high.unwrap_or(nominal),
            }),
            _ => None,
        }
    }

    /// The parameter as a resolved value.
    pub fn value(&self) -> ParamValue {
        match &self.nominal {
            Value::Number(_) => {
                ParamValue::Number(self.uncertain().unwrap_or(Uncertain::exact(f64::NAN)))
            }
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Text(s) => ParamValue::Text(s.clone()),
        }
    }
}

/// One threat, interceptor or sensor type.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CatalogEntry {
    /// Unique id across the catalog: lowercase letters, digits and `-`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Class: which model and which parameters.
    pub class: Class,
    /// One sentence on what it is.
    pub summary: String,
    /// Source key → full citation.
    pub sources: BTreeMap<String, String>,
    /// Parameter name (with its unit suffix) → value and source.
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(skip)]
    origin: (PathBuf, Pos),
}

impl CatalogEntry {
    /// The kind of the entry.
    pub fn kind(&self) -> Kind {
        self.class.kind()
    }

    /// Where the entry is written: file and position of its `id`.
    pub fn origin(&self) -> (&Path, Pos) {
        (&self.origin.0, self.origin.1)
    }

    /// The parameter `key`.
    pub fn parameter(&self, key: &str) -> Result<&Parameter, ParameterError> {
        self.parameters
            .get(key)
            .ok_or_else(|| ParameterError::Missing {
                type_id: self.id.clone(),
                key: key.to_owned(),
            })
    }

    /// A numeric parameter with its range, in the unit of its key.
    pub fn number(&self, key: &str) -> Result<Uncertain, ParameterError> {
        let p = self.parameter(key)?;
        let Value::Number(nominal) = p.nominal else {
            return Err(self.wrong_type(key, ValueType::Number, p.nominal.value_type()));
        };
        Uncertain::new(p.low.unwrap_or(nominal), nominal, p.high.unwrap_or(nominal)).map_err(
            |source| ParameterError::BadRange {
                type_id: self.id.clone(),
                key: key.to_owned(),
                source,
            },
        )
    }

    /// A numeric parameter converted to SI by the unit of its key (see [`unit_of`]).
    pub fn number_si(&self, key: &str) -> Result<Uncertain, ParameterError> {
        Ok(self.number(key)?.scaled(unit_of(key).si_factor))
    }

    /// A boolean parameter.
    pub fn flag(&self, key: &str) -> Result<bool, ParameterError> {
        match &self.parameter(key)?.nominal {
            Value::Bool(b) => Ok(*b),
            other => Err(self.wrong_type(key, ValueType::Bool, other.value_type())),
        }
    }

    /// A text parameter.
    pub fn text(&self, key: &str) -> Result<&str, ParameterError> {
        match &self.parameter(key)?.nominal {
            Value::Text(s) => Ok(s),
            other => Err(self.wrong_type(key, ValueType::Text, other.value_type())),
        }
    }

    /// The entry's parameters as a [`ResolvedType`], before any override.
    pub fn resolved(&self) -> ResolvedType {
        ResolvedType {
            id: self.id.clone(),
            class: self.class,
            parameters: self
                .parameters
                .iter()
                .map(|(k, p)| (k.clone(), p.value()))
                .collect(),
            overridden: BTreeSet::new(),
        }
    }

    fn wrong_type(&self, key: &str, expected: ValueType, found: ValueType) -> ParameterError {
        ParameterError::WrongType {
            type_id: self.id.clone(),
            key: key.to_owned(),
            expected,
            found,
        }
    }
}

/// Why a parameter could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParameterError {
    /// The type has no such parameter.
    #[error("type `{type_id}` has no parameter `{key}`")]
    Missing {
        /// Catalog id of the type.
        type_id: String,
        /// The parameter asked for.
        key: String,
    },
    /// The parameter is of another type.
    #[error("parameter `{key}` of type `{type_id}` is {found}, not {expected}")]
    WrongType {
        /// Catalog id of the type.
        type_id: String,
        /// The parameter asked for.
        key: String,
        /// The type asked for.
        expected: ValueType,
        /// The type it has.
        found: ValueType,
    },
    /// A word parameter has a value outside its list.
    #[error(
        "parameter `{key}` of type `{type_id}` is `{found}`; expected {}",
        crate::diag::one_of(expected)
    )]
    UnknownWord {
        /// Catalog id of the type.
        type_id: String,
        /// The parameter.
        key: String,
        /// Its value.
        found: String,
        /// The words it may be.
        expected: Vec<&'static str>,
    },
    /// The range of the parameter is not ordered or not finite.
    #[error("parameter `{key}` of type `{type_id}`: {source}")]
    BadRange {
        /// Catalog id of the type.
        type_id: String,
        /// The parameter asked for.
        key: String,
        /// What is wrong with the range.
        source: UncertainError,
    },
}

impl ParameterError {
    /// The parameter the error is about.
    pub fn key(&self) -> &str {
        match self {
            ParameterError::Missing { key, .. }
            | ParameterError::WrongType { key, .. }
            | ParameterError::UnknownWord { key, .. }
            | ParameterError::BadRange { key, .. } => key,
        }
    }
}

/// A resolved parameter value: a number with its range, a boolean or a word.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A number in the unit of its key.
    Number(Uncertain),
    /// A boolean.
    Bool(bool),
    /// A word.
    Text(String),
}

impl ParamValue {
    /// The type of the value.
    pub fn value_type(&self) -> ValueType {
        match self {
            ParamValue::Number(_) => ValueType::Number,
            ParamValue::Bool(_) => ValueType::Bool,
            ParamValue::Text(_) => ValueType::Text,
        }
    }
}

/// A catalog type as one scenario element uses it: the entry's parameters with the element's
/// overrides applied. Numbers keep the unit of their key (`max_range_km` is in km); use
/// [`ResolvedType::number_si`] for SI.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResolvedType {
    /// Catalog id of the type.
    pub id: String,
    /// Its class.
    pub class: Class,
    /// Every parameter, overrides applied.
    pub parameters: BTreeMap<String, ParamValue>,
    /// Names of the parameters the scenario changed.
    pub overridden: BTreeSet<String>,
}

impl ResolvedType {
    /// The parameter `key`.
    pub fn get(&self, key: &str) -> Result<&ParamValue, ParameterError> {
        self.parameters
            .get(key)
            .ok_or_else(|| ParameterError::Missing {
                type_id: self.id.clone(),
                key: key.to_owned(),
            })
    }

    /// A numeric parameter with its range, in the unit of its key.
    pub fn number(&self, key: &str) -> Result<Uncertain, ParameterError> {
        match self.get(key)? {
            ParamValue::Number(u) => Ok(*u),
            other => Err(self.wrong_type(key, ValueType::Number, other.value_type())),
        }
    }

    /// A numeric parameter converted to SI by the unit of its key (see [`unit_of`]).
    pub fn number_si(&self, key: &str) -> Result<Uncertain, ParameterError> {
        Ok(self.number(key)?.scaled(unit_of(key).si_factor))
    }

    /// A boolean parameter.
    pub fn flag(&self, key: &str) -> Result<bool, ParameterError> {
        match self.get(key)? {
            ParamValue::Bool(b) => Ok(*b),
            other => Err(self.wrong_type(key, ValueType::Bool, other.value_type())),
        }
    }

    /// A text parameter.
    pub fn text(&self, key: &str) -> Result<&str, ParameterError> {
        match self.get(key)? {
            ParamValue::Text(s) => Ok(s),
            other => Err(self.wrong_type(key, ValueType::Text, other.value_type())),
        }
    }

    /// An interceptor's single-shot kill probability against a threat class
    /// (`kill_probability_<class>`).
    pub fn kill_probability(&self, threat: Class) -> Result<Uncertain, ParameterError> {
        self.number(&format!("kill_probability_{}", threat.name()))
    }

    fn wrong_type(&self, key: &str, expected: ValueType, found: ValueType) -> ParameterError {
        ParameterError::WrongType {
            type_id: self.id.clone(),
            key: key.to_owned(),
            expected,
            found,
        }
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

/// A catalog file that does not parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// Every problem found, with file, line and column.
    #[error("{0}")]
    Invalid(Diagnostics),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: Located<String>,
    name: String,
    class: Located<Class>,
    summary: String,
    sources: BTreeMap<String, String>,
    parameters: BTreeMap<String, ParameterFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFile {
    nominal: Value,
    #[serde(default)]
    low: Option<f64>,
    #[serde(default)]
    high: Option<f64>,
    source: OneOrMany,
    #[serde(default)]
    note: Option<String>,
}

/// The catalog: every type, by id and by kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    entries: Vec<CatalogEntry>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// A catalog from the text of the three files.
    pub fn from_sources(
        threats: &str,
        interceptors: &str,
        sensors: &str,
    ) -> Result<Catalog, CatalogError> {
        Self::from_files(&[
            (Kind::Threat, Path::new(Kind::Threat.file()), threats),
            (
                Kind::Interceptor,
                Path::new(Kind::Interceptor.file()),
                interceptors,
            ),
            (Kind::Sensor, Path::new(Kind::Sensor.file()), sensors),
        ])
    }

    /// A catalog from files of the given kinds: `(kind, name shown in errors, text)`.
    pub fn from_files(files: &[(Kind, &Path, &str)]) -> Result<Catalog, CatalogError> {
        let mut entries = Vec::new();
        let mut index = HashMap::new();
        let mut diagnostics = Vec::new();
        for &(kind, path, text) in files {
            let mut problems = Problems::default();
            let parsed: Option<Vec<EntryFile>> = match node::parse(text) {
                Ok(root) => from_node(&root, &mut problems),
                Err(err) => {
                    let (pos, message) = crate::node::yaml_error(&err);
                    problems.push(pos, message);
                    None
                }
            };
            for e in parsed.unwrap_or_default() {
                if e.class.value.kind() != kind {
                    problems.push(
                        e.class.pos,
                        format!(
                            "class `{}` is a {} class; this file holds {} types",
                            e.class.value,
                            e.class.value.kind(),
                            kind
                        ),
                    );
                    continue;
                }
                if let Some(&first) = index.get(&e.id.value) {
                    let (first_file, first_pos): (&Path, Pos) =
                        CatalogEntry::origin(&entries[first]);
                    problems.push(
                        e.id.pos,
                        format!(
                            "duplicate id `{}`; first defined at {}:{}",
                            e.id.value,
                            first_file.display(),
                            first_pos
                        ),
                    );
                    continue;
                }
                index.insert(e.id.value.clone(), entries.len());
                entries.push(CatalogEntry {
                    id: e.id.value,
                    name: e.name,
                    class: e.class.value,
                    summary: e.summary,
                    sources: e.sources,
                    parameters: e
                        .parameters
                        .into_iter()
                        .map(|(k, p)| {
                            (
                                k,
                                Parameter {
                                    nominal: p.nominal,
                                    low: p.low,
                                    high: p.high,
                                    source: p.source.0,
                                    note: p.note,
                                },
                            )
                        })
                        .collect(),
                    origin: (path.to_path_buf(), e.id.pos),
                });
            }
            diagnostics.extend(problems.into_diagnostics(path));
        }
        if diagnostics.is_empty() {
            Ok(Catalog { entries, index })
        } else {
            Err(CatalogError::Invalid(Diagnostics(diagnostics)))
        }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&CatalogEntry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// Every entry: threats, then interceptors, then sensors, each in file order.
    pub fn entries(&self) -> impl Iterator<Item = &CatalogEntry> {
        Kind::ALL
            .into_iter()
            .flat_map(move |k| self.entries.iter().filter(move |e| e.kind() == k))
    }

    /// The entries of one kind, in file order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &CatalogEntry> {
        self.entries.iter().filter(move |e| e.kind() == kind)
    }

    /// Threat types.
    pub fn threats(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.of_kind(Kind::Threat)
    }

    /// Interceptor types.
    pub fn interceptors(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.of_kind(Kind::Interceptor)
    }

    /// Sensor types.
    pub fn sensors(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.of_kind(Kind::Sensor)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id closest to a misspelt one, among the entries of `kind` (all when `None`).
    pub fn closest_id(&self, id: &str, kind: Option<Kind>) -> Option<&str> {
        closest(
            id,
            self.entries
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind() == k))
                .map(|e| e.id.as_str()),
        )
    }

    /// Problems of content that parsing does not catch, one message each, naming the file,
    /// the position of the entry and the parameter: a source key that the entry's `sources`
    /// lacks, a parameter without a source, a missing required parameter or one of the wrong
    /// type, `low > nominal` or `nominal > high`, a range on a non-number, a probability
    /// outside [0, 1], a count that is not a positive integer, an id that is not lowercase
    /// letters, digits and `-`.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for e in &self.entries {
            let (file, pos) = e.origin();
            let mut problem =
                |msg: String| out.push(Diagnostic::new(file, pos, format!("`{}`: {msg}", e.id)));
            if e.id.is_empty()
                || !e
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problem("an id is lowercase letters, digits and `-`".to_owned());
            }
            for (key, p) in &e.parameters {
                if p.source.is_empty() {
                    problem(format!("parameter `{key}` names no source"));
                }
                for s in &p.source {
                    if !e.sources.contains_key(s) {
                        problem(format!(
                            "parameter `{key}` cites source `{s}`, which is not in the entry's `sources`"
                        ));
                    }
                }
                match p.nominal {
                    Value::Number(nominal) => {
                        let low = p.low.unwrap_or(nominal);
                        let high = p.high.unwrap_or(nominal);
                        if !(low.is_finite() && nominal.is_finite() && high.is_finite()) {
                            problem(format!("parameter `{key}` is not finite"));
                        } else if !(low <= nominal && nominal <= high) {
                            problem(format!(
                                "parameter `{key}`: expected low <= nominal <= high, found {low}, {nominal}, {high}"
                            ));
                        }
                        if is_probability(key) && !(0.0 <= low && high <= 1.0) {
                            problem(format!(
                                "parameter `{key}` is a probability, expected values in [0, 1]"
                            ));
                        }
                        if COUNT_PARAMETERS.contains(&key.as_str())
                            && !(nominal >= 1.0 && nominal.fract() == 0.0)
                        {
                            problem(format!(
                                "parameter `{key}` is a count, expected a positive integer, found {nominal}"
                            ));
                        }
                    }
                    _ => {
                        if p.low.is_some() || p.high.is_some() {
                            problem(format!(
                                "parameter `{key}` is not a number but has `low` or `high`"
                            ));
                        }
                    }
                }
            }
            for (key, ty) in e.class.required_parameters() {
                match e.parameters.get(key) {
                    None => problem(format!(
                        "class `{}` requires parameter `{key}`, which is missing",
                        e.class
                    )),
                    Some(p) if p.nominal.value_type() != ty => problem(format!(
                        "parameter `{key}` should be {ty}, found {}",
                        p.nominal.value_type()
                    )),
                    Some(_) => {}
                }
            }
            for (key, ty) in e.class.not_yet_modelled_parameters() {
                if let Some(p) = e.parameters.get(key)
                    && p.nominal.value_type() != ty
                {
                    problem(format!(
                        "parameter `{key}` should be {ty}, found {}",
                        p.nominal.value_type()
                    ));
                }
            }
            if e.class == Class::Interceptor
                && let Some(Value::Text(word)) = e.parameters.get("tier").map(|p| &p.nominal)
                && Tier::from_name(word).is_none()
            {
                problem(format!(
                    "parameter `tier` is `{word}`; expected {}",
                    crate::diag::one_of(&Tier::ALL.map(Tier::name))
                ));
            }
        }
        out
    }
}

/// Whether a parameter is a probability (kept in [0, 1]).
pub fn is_probability(key: &str) -> bool {
    key.contains("probability") || key == "reliability" || key == "manoeuvre_kill_factor"
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREATS: &str = r#"
- id: tiny
  name: Tiny
  class: rocket
  summary: A test rocket.
  sources:
    a: "Source A"
  parameters:
    max_range_km: {nominal: 40, low: 35, high: 45, source: a}
    separating: {nominal: false, source: [a]}
"#;

    #[test]
    fn entries_parse_and_read() {
        let c = Catalog::from_sources(THREATS, "[]", "[]").expect("parses");
        let e = c.get("tiny").expect("tiny");
        assert_eq!(e.class, Class::Rocket);
        assert_eq!(
            e.number("max_range_km").unwrap(),
            Uncertain::new(35.0, 40.0, 45.0).unwrap()
        );
        assert_eq!(e.number_si("max_range_km").unwrap().nominal, 40_000.0);
        assert!(!e.flag("separating").unwrap());
        assert!(matches!(
            e.number("separating"),
            Err(ParameterError::WrongType { .. })
        ));
        assert!(matches!(
            e.number("nope"),
            Err(ParameterError::Missing { .. })
        ));
        assert_eq!(c.closest_id("tinny", None), Some("tiny"));
        // The fixture lacks most required parameters.
        assert!(
            c.check()
                .iter()
                .any(|d| d.message.contains("requires parameter `isp_s`"))
        );
    }

    #[test]
    fn wrong_kind_and_duplicates_are_errors() {
        let err = Catalog::from_sources(THREATS, THREATS, "[]").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("catalog/interceptors.yaml:4:10"), "{text}");
        assert!(text.contains("class `rocket` is a threat class"), "{text}");
        let err = Catalog::from_sources(&format!("{THREATS}{THREATS}"), "[]", "[]").unwrap_err();
        assert!(err.to_string().contains("duplicate id `tiny`"), "{err}");
    }

    #[test]
    fn units_come_from_the_suffix() {
        assert_eq!(unit_of("speed_m_s").symbol, "m/s");
        assert_eq!(unit_of("max_range_km").si_factor, 1000.0);
        assert_eq!(unit_of("reference_rcs_m2").symbol, "m²");
        assert_eq!(unit_of("isp_s").symbol, "s");
        assert_eq!(unit_of("terminal_manoeuvre_g").si_symbol, "m/s²");
        assert_eq!(unit_of("reliability").symbol, "");
        assert_eq!(unit_of("launchers").symbol, "");
    }
}
