//! The error of reading one value of a scenario file, in the words a scenario's author reads,
//! with what the reader needs to mask the value and go on.

use std::fmt;

use serde::de;

use crate::diag::{Pos, did_you_mean, one_of};
use crate::node::fmt_float;

/// An error while reading one value.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) message: String,
    /// The node it belongs to; set by the innermost node reader that sees the error.
    pub(crate) node: Option<(u32, Pos)>,
    /// The error only follows from a masked child: masks the node without a message.
    pub(crate) consequence: bool,
    /// Set by [`de::Error::missing_field`].
    pub(crate) missing_field: Option<&'static str>,
}

impl Error {
    pub(crate) fn new(message: String) -> Self {
        Self {
            message,
            node: None,
            consequence: false,
            missing_field: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// serde's names of primitive types, in words.
fn plain_expected(expected: &dyn de::Expected) -> String {
    let text = expected.to_string();
    match text.as_str() {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a non-negative integer".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "an integer".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        _ => text,
    }
}

fn plain_unexpected(unexpected: de::Unexpected<'_>) -> String {
    use de::Unexpected as U;
    match unexpected {
        U::Bool(b) => format!("the boolean `{b}`"),
        U::Unsigned(u) => format!("the number `{u}`"),
        U::Signed(i) => format!("the number `{i}`"),
        U::Float(x) => format!("the number `{}`", fmt_float(x)),
        U::Char(c) => format!("the string `{c}`"),
        U::Str(s) => format!("the string `{}`", crate::node::clip(s)),
        U::Unit => "nothing (null)".to_owned(),
        U::Seq => "a list".to_owned(),
        U::Map => "a mapping".to_owned(),
        other => other.to_string(),
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        let expected = plain_expected(expected);
        let hint = match unexpected {
            de::Unexpected::Str(s) if expected.contains("number") => unit_hint(s),
            _ => String::new(),
        };
        Self::new(format!(
            "expected {expected}, found {}{hint}",
            plain_unexpected(unexpected)
        ))
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::new(format!(
            "expected {}, found {}",
            plain_expected(expected),
            plain_unexpected(unexpected)
        ))
    }

    fn invalid_length(len: usize, expected: &dyn de::Expected) -> Self {
        Self::new(format!(
            "expected {}, found {len} element{}",
            plain_expected(expected),
            if len == 1 { "" } else { "s" }
        ))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(format!(
            "unknown value `{}`; expected {}{}",
            crate::node::clip(variant),
            one_of(expected),
            did_you_mean(variant, expected.iter().copied())
        ))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::new(format!(
            "unknown field `{}`; expected {}{}",
            crate::node::clip(field),
            one_of(expected),
            did_you_mean(field, expected.iter().copied())
        ))
    }

    fn missing_field(field: &'static str) -> Self {
        let mut e = Self::new(format!("missing field `{field}`"));
        e.missing_field = Some(field);
        e
    }

    fn duplicate_field(field: &'static str) -> Self {
        Self::new(format!("field `{field}` is given twice"))
    }
}

/// For a number written with its unit (`1500 m`, `12km`): the hint that the key names the unit.
pub(crate) fn unit_hint(text: &str) -> String {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_alphabetic() || c == '%')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    if number.trim().parse::<f64>().is_err() || unit.trim().is_empty() {
        return String::new();
    }
    format!(
        ": write the number alone, `{}`, in the unit the key names (`radius_km` is in \
         kilometres, `height_m` in metres, `speed_m_s` in metres per second)",
        number.trim()
    )
}
