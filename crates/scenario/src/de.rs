//! Reading typed values from a [`Node`] tree, reporting every problem rather than the first.
//!
//! serde's derived code stops at the first error. To report them all, the tree is read in
//! passes: when a value cannot be read, its problem is recorded, the node is masked (treated as
//! absent from its mapping or list) and the document is read again. A mapping or list whose
//! only fault is a masked child ("missing field" because the field was masked) is masked in turn
//! without a second message. Unknown fields are reported and skipped without ending a pass.
//! Every pass masks one more node, so the loop ends; it also stops at [`MAX_PROBLEMS`].
//! A file with k problems is read about k + 1 times: instant for scenario files of usual size,
//! a few seconds for a file of a hundred thousand nodes with a hundred problems.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use serde::de::value::{StrDeserializer, U32Deserializer};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};

use crate::de_error::{Error, unit_hint};
use crate::diag::{Pos, Problems, closest, one_of};
use crate::located;
use crate::node::{Node, NodeKind, fmt_float};

/// Stop after this many problems in one file.
pub(crate) const MAX_PROBLEMS: usize = 200;

/// Read a `T` from `root`, adding every problem to `problems`. `None` when the root itself
/// could not be read.
pub(crate) fn from_node<T: DeserializeOwned>(root: &Node, problems: &mut Problems) -> Option<T> {
    from_node_masked(root, problems).0
}

/// Like [`from_node`], also returning the ids of the nodes that were left out.
pub(crate) fn from_node_masked<T: DeserializeOwned>(
    root: &Node,
    problems: &mut Problems,
) -> (Option<T>, HashSet<u32>) {
    let mut masked: HashSet<u32> = HashSet::new();
    let mut seen: HashSet<(crate::diag::Pos, String)> = HashSet::new();
    let mut report = |problems: &mut Problems, pos: Pos, message: String| {
        if seen.insert((pos, message.clone())) {
            problems.push(pos, message);
        }
    };
    loop {
        let ctx = Ctx {
            masked: &masked,
            reported: RefCell::new(Vec::new()),
        };
        let result = T::deserialize(NodeDe::new(root, &ctx));
        for (pos, message) in ctx.reported.into_inner() {
            report(problems, pos, message);
        }
        match result {
            Ok(value) => return (Some(value), masked),
            Err(err) => {
                let (id, pos) = err.node.unwrap_or((root.id, root.pos));
                if !err.consequence {
                    report(problems, pos, err.message);
                }
                if id == root.id || !masked.insert(id) {
                    return (None, masked);
                }
            }
        }
        if problems.0.len() >= MAX_PROBLEMS {
            problems.push(
                root.pos,
                format!("stopped after {MAX_PROBLEMS} problems; fix these and check again"),
            );
            return (None, masked);
        }
    }
}

/// State shared by one pass.
struct Ctx<'a> {
    masked: &'a HashSet<u32>,
    /// Problems that do not end the pass (unknown fields, keys that are not names).
    reported: RefCell<Vec<(Pos, String)>>,
}

impl Ctx<'_> {
    fn is_masked(&self, node: &Node) -> bool {
        self.masked.contains(&node.id)
    }

    fn report(&self, pos: Pos, message: String) {
        self.reported.borrow_mut().push((pos, message));
    }
}

/// What a container saw of masked children while its visitor ran.
#[derive(Default)]
struct MaskLog {
    any: Cell<bool>,
    keys: RefCell<Vec<String>>,
    /// Field names suggested for misspelt ones.
    suggested: RefCell<Vec<&'static str>>,
}

impl MaskLog {
    /// Decide whether an error of the container's own visitor follows from masked children.
    fn classify(&self, mut err: Error) -> Error {
        if err.node.is_none() {
            let follows = match err.missing_field {
                Some(field) => {
                    self.keys.borrow().iter().any(|k| k == field)
                        || self.suggested.borrow().contains(&field)
                }
                None => self.any.get(),
            };
            err.consequence = follows;
        }
        err
    }
}

/// "RaidGroup" → "raid group".
fn friendly(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push(' ');
            }
            out.extend(ch.to_lowercase());
        } else if ch == '_' {
            out.push(' ');
        } else {
            out.push(ch);
        }
    }
    out
}

/// Reads one node.
struct NodeDe<'a> {
    node: &'a Node,
    ctx: &'a Ctx<'a>,
}

impl<'a> NodeDe<'a> {
    fn new(node: &'a Node, ctx: &'a Ctx<'a>) -> Self {
        Self { node, ctx }
    }

    /// Attach this node to an error that has none yet.
    fn tag(&self, mut err: Error) -> Error {
        if err.node.is_none() {
            err.node = Some((self.node.id, self.node.pos));
        }
        err
    }

    fn mismatch(&self, expected: &str) -> Error {
        let hint = match self.node.kind {
            NodeKind::Int(_) | NodeKind::UInt(_) | NodeKind::Float(_) | NodeKind::Bool(_)
                if expected == "a string" =>
            {
                " (put it in quotes to use it as text)".to_owned()
            }
            NodeKind::Str(ref s) if expected.contains("number") => unit_hint(s),
            _ => String::new(),
        };
        self.tag(Error::new(format!(
            "expected {expected}, found {}{hint}",
            self.node.describe()
        )))
    }

    fn finite(&self, x: f64) -> Result<f64, Error> {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.tag(Error::new(format!(
                "expected a finite number, found `{}`",
                fmt_float(x)
            ))))
        }
    }

    fn visit_seq_node<'de, V: Visitor<'de>>(
        &self,
        items: &'a [Node],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let log = MaskLog::default();
        let access = Seq {
            items: items.iter(),
            ctx: self.ctx,
            log: &log,
        };
        visitor
            .visit_seq(access)
            .map_err(|e| self.tag(log.classify(e)))
    }

    fn visit_map_node<'de, V: Visitor<'de>>(
        &self,
        entries: &'a [(Node, Node)],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let log = MaskLog::default();
        let access = Map {
            entries: entries.iter(),
            value: None,
            ctx: self.ctx,
            log: &log,
        };
        visitor
            .visit_map(access)
            .map_err(|e| self.tag(log.classify(e)))
    }

    fn integer<'de, V: Visitor<'de>>(&self, visitor: V, expected: &str) -> Result<V::Value, Error> {
        let r = match self.node.kind {
            NodeKind::Int(i) => visitor.visit_i64(i),
            NodeKind::UInt(u) => visitor.visit_u64(u),
            NodeKind::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 => {
                visitor.visit_i64(x as i64)
            }
            _ => return Err(self.mismatch(expected)),
        };
        r.map_err(|e| self.tag(e))
    }
}

macro_rules! integer_methods {
    ($($method:ident => $expected:literal),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.integer(visitor, $expected)
            }
        )*
    };
}

impl<'de, 'a> Deserializer<'de> for NodeDe<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Int(i) => visitor.visit_i64(*i),
            NodeKind::UInt(u) => visitor.visit_u64(*u),
            NodeKind::Float(x) => visitor.visit_f64(self.finite(*x)?),
            NodeKind::Str(s) => visitor.visit_str(s),
            NodeKind::Seq(items) => return self.visit_seq_node(items, visitor),
            NodeKind::Map(entries) => return self.visit_map_node(entries, visitor),
        };
        r.map_err(|e| self.tag(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Bool(b) => visitor.visit_bool(b).map_err(|e| self.tag(e)),
            _ => Err(self.mismatch("`true` or `false`")),
        }
    }

    integer_methods! {
        deserialize_i8 => "an integer",
        deserialize_i16 => "an integer",
        deserialize_i32 => "an integer",
        deserialize_i64 => "an integer",
        deserialize_i128 => "an integer",
        deserialize_u8 => "a non-negative integer",
        deserialize_u16 => "a non-negative integer",
        deserialize_u32 => "a non-negative integer",
        deserialize_u64 => "a non-negative integer",
        deserialize_u128 => "a non-negative integer",
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.node.kind {
            NodeKind::Int(i) => visitor.visit_f64(i as f64),
            NodeKind::UInt(u) => visitor.visit_f64(u as f64),
            NodeKind::Float(x) => visitor.visit_f64(self.finite(x)?),
            _ => return Err(self.mismatch("a number")),
        };
        r.map_err(|e| self.tag(e))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Str(s) if s.chars().count() == 1 => visitor
                .visit_char(s.chars().next().unwrap_or_default())
                .map_err(|e| self.tag(e)),
            _ => Err(self.mismatch("a single character")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Str(s) => visitor.visit_str(s).map_err(|e| self.tag(e)),
            _ => Err(self.mismatch("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_none().map_err(|e| self.tag(e)),
            _ => {
                let (node, ctx) = (self.node, self.ctx);
                visitor
                    .visit_some(NodeDe::new(node, ctx))
                    .map_err(|e| self.tag(e))
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_unit().map_err(|e| self.tag(e)),
            _ => Err(self.mismatch("nothing (null)")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (node, ctx) = (self.node, self.ctx);
        visitor
            .visit_newtype_struct(NodeDe::new(node, ctx))
            .map_err(|e| self.tag(e))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Seq(items) => self.visit_seq_node(items, visitor),
            _ => Err(self.mismatch("a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Map(entries) => self.visit_map_node(entries, visitor),
            _ => Err(self.mismatch("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == located::MAGIC {
            let access = LocatedAccess {
                node: self.node,
                ctx: self.ctx,
                step: 0,
            };
            return visitor.visit_map(access).map_err(|e| self.tag(e));
        }
        let context = friendly(name);
        let NodeKind::Map(entries) = &self.node.kind else {
            return Err(self.mismatch(&format!("a mapping ({context})")));
        };
        let log = MaskLog::default();
        let access = Struct {
            entries: entries.iter(),
            value: None,
            fields,
            context,
            ctx: self.ctx,
            log: &log,
        };
        visitor
            .visit_map(access)
            .map_err(|e| self.tag(log.classify(e)))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Str(s) => visitor
                .visit_enum(Enum {
                    variant: s,
                    value: None,
                    ctx: self.ctx,
                })
                .map_err(|e| self.tag(e)),
            NodeKind::Map(entries) if entries.len() == 1 => {
                let (key, value) = &entries[0];
                match key.as_str() {
                    Some(variant) => visitor
                        .visit_enum(Enum {
                            variant,
                            value: Some(value),
                            ctx: self.ctx,
                        })
                        .map_err(|e| self.tag(e)),
                    None => Err(self.mismatch(&one_of(variants))),
                }
            }
            _ => Err(self.mismatch(&one_of(variants))),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The elements of a list, masked ones left out.
struct Seq<'a, I> {
    items: I,
    ctx: &'a Ctx<'a>,
    log: &'a MaskLog,
}

impl<'de, 'a, I: Iterator<Item = &'a Node>> SeqAccess<'de> for Seq<'a, I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        for item in self.items.by_ref() {
            if self.ctx.is_masked(item) {
                self.log.any.set(true);
                continue;
            }
            return seed.deserialize(NodeDe::new(item, self.ctx)).map(Some);
        }
        Ok(None)
    }
}

/// The entries of a mapping read as a map (keys are values too), masked ones left out.
struct Map<'a, I> {
    entries: I,
    value: Option<&'a Node>,
    ctx: &'a Ctx<'a>,
    log: &'a MaskLog,
}

impl<'de, 'a, I: Iterator<Item = &'a (Node, Node)>> MapAccess<'de> for Map<'a, I> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for (key, value) in self.entries.by_ref() {
            if self.ctx.is_masked(key) || self.ctx.is_masked(value) {
                self.log.any.set(true);
                if let Some(name) = key.as_str() {
                    self.log.keys.borrow_mut().push(name.to_owned());
                }
                continue;
            }
            self.value = Some(value);
            return seed.deserialize(NodeDe::new(key, self.ctx)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(NodeDe::new(value, self.ctx)),
            None => Err(Error::new(
                "a value was asked for before its key".to_owned(),
            )),
        }
    }
}

/// The entries of a mapping read as a struct: unknown keys are reported and skipped.
struct Struct<'a, I> {
    entries: I,
    value: Option<&'a Node>,
    fields: &'static [&'static str],
    context: String,
    ctx: &'a Ctx<'a>,
    log: &'a MaskLog,
}

impl<'de, 'a, I: Iterator<Item = &'a (Node, Node)>> MapAccess<'de> for Struct<'a, I> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for (key, value) in self.entries.by_ref() {
            let Some(name) = key.as_str() else {
                self.ctx.report(
                    key.pos,
                    format!(
                        "expected a field name of {}, found {}",
                        self.context,
                        key.describe()
                    ),
                );
                continue;
            };
            if !self.fields.contains(&name) {
                let suggestion = closest(name, self.fields.iter().copied());
                self.ctx.report(
                    key.pos,
                    format!(
                        "unknown field `{}` in {}; expected {}{}",
                        crate::node::clip(name),
                        self.context,
                        one_of(self.fields),
                        suggestion.map_or(String::new(), |s| format!("; did you mean `{s}`?"))
                    ),
                );
                // A field missing because it was misspelt is reported by the line above.
                if let Some(s) = suggestion {
                    self.log.suggested.borrow_mut().push(s);
                }
                continue;
            }
            if self.ctx.is_masked(value) {
                self.log.any.set(true);
                self.log.keys.borrow_mut().push(name.to_owned());
                continue;
            }
            self.value = Some(value);
            let key_de: StrDeserializer<'_, Error> = name.into_deserializer();
            return seed.deserialize(key_de).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(NodeDe::new(value, self.ctx)),
            None => Err(Error::new(
                "a value was asked for before its key".to_owned(),
            )),
        }
    }
}

/// Hands a [`crate::Located`] its position, then its value.
struct LocatedAccess<'a> {
    node: &'a Node,
    ctx: &'a Ctx<'a>,
    step: u8,
}

impl<'de, 'a> MapAccess<'de> for LocatedAccess<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let name = match self.step {
            0 => located::FIELD_LINE,
            1 => located::FIELD_COLUMN,
            2 => located::FIELD_VALUE,
            _ => return Ok(None),
        };
        let key_de: StrDeserializer<'_, Error> = name.into_deserializer();
        seed.deserialize(key_de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let step = self.step;
        self.step += 1;
        match step {
            0 => seed.deserialize(U32Deserializer::<Error>::new(self.node.pos.line)),
            1 => seed.deserialize(U32Deserializer::<Error>::new(self.node.pos.column)),
            _ => seed.deserialize(NodeDe::new(self.node, self.ctx)),
        }
    }
}

/// An enum written as `variant` or `{variant: value}`.
struct Enum<'a> {
    variant: &'a str,
    value: Option<&'a Node>,
    ctx: &'a Ctx<'a>,
}

impl<'de, 'a> EnumAccess<'de> for Enum<'a> {
    type Error = Error;
    type Variant = Variant<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'a>), Error> {
        let key_de: StrDeserializer<'_, Error> = self.variant.into_deserializer();
        let v = seed.deserialize(key_de)?;
        Ok((
            v,
            Variant {
                value: self.value,
                ctx: self.ctx,
            },
        ))
    }
}

struct Variant<'a> {
    value: Option<&'a Node>,
    ctx: &'a Ctx<'a>,
}

impl<'de, 'a> VariantAccess<'de> for Variant<'a> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None => Ok(()),
            Some(node) if node.kind == NodeKind::Null => Ok(()),
            Some(node) => Err(NodeDe::new(node, self.ctx).mismatch("nothing (null)")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.value {
            Some(node) => seed.deserialize(NodeDe::new(node, self.ctx)),
            None => Err(Error::new("expected a value after the name".to_owned())),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Some(node) => NodeDe::new(node, self.ctx).deserialize_seq(visitor),
            None => Err(Error::new("expected a list after the name".to_owned())),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Some(node) => NodeDe::new(node, self.ctx).deserialize_struct("", fields, visitor),
            None => Err(Error::new("expected a mapping after the name".to_owned())),
        }
    }
}

#[cfg(test)]
mod tests;
