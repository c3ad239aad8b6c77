//! `Located<T>`: a value of a scenario file with the place where it was written.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::diag::Pos;

/// Name under which [`Located`] asks the deserializer for a position. Only this crate's
/// deserializer knows it; it answers with the position of the value.
pub(crate) const MAGIC: &str = "$skyshield_scenario::Located";
pub(crate) const FIELD_LINE: &str = "$line";
pub(crate) const FIELD_COLUMN: &str = "$column";
pub(crate) const FIELD_VALUE: &str = "$value";
pub(crate) const FIELDS: &[&str] = &[FIELD_LINE, FIELD_COLUMN, FIELD_VALUE];

/// A value read from a file, with the line and column where it starts.
///
/// Only the crate's own parser ([`crate::parse_str`]) fills in positions; the JSON Schema of a
/// `Located<T>` is that of `T`.
#[derive(Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

impl<T> Located<T> {
    /// A value with its position.
    pub fn new(value: T, pos: Pos) -> Self {
        Self { value, pos }
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} @{}", self.value, self.pos)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(MAGIC, FIELDS, LocatedVisitor(PhantomData))
    }
}

struct LocatedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for LocatedVisitor<T> {
    type Value = Located<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value with its position")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut line = None;
        let mut column = None;
        let mut value = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                FIELD_LINE => line = Some(map.next_value::<u32>()?),
                FIELD_COLUMN => column = Some(map.next_value::<u32>()?),
                FIELD_VALUE => value = Some(map.next_value::<T>()?),
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field(FIELD_VALUE))?;
        Ok(Located {
            value,
            pos: Pos {
                line: line.unwrap_or(0),
                column: column.unwrap_or(0),
            },
        })
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}
