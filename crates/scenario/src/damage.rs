//! What parsing left out: the elements that lost values, so that validation does not report
//! what follows from a value that could not be read.

use std::collections::HashSet;

use crate::node::{Node, NodeKind};

/// Elements (by id) that lost values because they could not be read.
#[derive(Debug, Default)]
pub(crate) struct Damage {
    /// Whether any value was left out.
    pub(crate) any: bool,
    /// Elements left out entirely.
    pub(crate) dropped: HashSet<String>,
    /// Elements with a value left out somewhere inside (the dropped ones included).
    pub(crate) damaged: HashSet<String>,
}

/// Fill `damage` from the masked nodes; returns whether `node` or a node inside it is masked.
pub(crate) fn collect_damage(node: &Node, masked: &HashSet<u32>, damage: &mut Damage) -> bool {
    let mut inside = false;
    match &node.kind {
        NodeKind::Seq(items) => {
            for i in items {
                inside |= collect_damage(i, masked, damage);
            }
        }
        NodeKind::Map(entries) => {
            for (_, v) in entries {
                inside |= collect_damage(v, masked, damage);
            }
        }
        _ => {}
    }
    let this = masked.contains(&node.id);
    if let Some(id) = node.get("id").and_then(Node::as_str) {
        if this {
            damage.dropped.insert(id.to_owned());
        }
        if this || inside {
            damage.damaged.insert(id.to_owned());
        }
    }
    this || inside
}
