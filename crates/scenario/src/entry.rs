//! A catalog entry and its parameters, and a scenario element's type: the entry with the
//! element's overrides applied, read parameter by parameter.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::class::{Class, Kind, ValueType, unit_of};
use crate::diag::Pos;
use crate::uncertain::{Uncertain, UncertainError};

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
    /// The order of the bounds is not checked here ([`crate::Catalog::check`] does).
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

/// What a published figure of a rocket-powered threat's flight measures; the name carries the
/// unit of the figure's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlightQuantity {
    /// Launch to impact, s.
    FlightTimeS,
    /// Highest height above the surface, km.
    ApogeeKm,
    /// Highest speed over the flight, m/s.
    FastestSpeedMS,
    /// Speed when descending through 20 km, m/s: the speed of the terminal phase in the air.
    #[serde(rename = "speed_at_20_km_m_s")]
    SpeedAt20KmMS,
}

impl FlightQuantity {
    /// The key written in the catalog.
    pub fn key(self) -> &'static str {
        match self {
            FlightQuantity::FlightTimeS => "flight_time_s",
            FlightQuantity::ApogeeKm => "apogee_km",
            FlightQuantity::FastestSpeedMS => "fastest_speed_m_s",
            FlightQuantity::SpeedAt20KmMS => "speed_at_20_km_m_s",
        }
    }
}

/// A published figure of a rocket-powered threat's flight, with the range of the flight it
/// describes: `docs/validation.md` sets the computed flight beside it.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlightFigure {
    pub quantity: FlightQuantity,
    /// Ground range of the flight described, km.
    pub range_km: f64,
    /// The published value, or the bounds of a published range, in the quantity's unit.
    pub low: f64,
    pub high: f64,
    /// Keys of the entry's `sources` the figure comes from.
    pub source: Vec<String>,
    /// How the published words become these bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
    /// Published figures of a rocket-powered threat's flight (none for other types, and for
    /// threats with no published figure).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flight_figures: Vec<FlightFigure>,
    #[serde(skip)]
    pub(crate) origin: (PathBuf, Pos),
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
