//! Values set over a scenario's text at dotted paths (`raid.salvo-1.count`), for sweeps and
//! front ends that vary a scenario without editing its file.

use std::path::Path;

use serde_json::Value;

use crate::diag::{Diagnostics, Pos, Problems, did_you_mean};
use crate::node::{Node, NodeKind};
use crate::parse_tree;

/// Most overrides applied at once: a sweep varies a few parameters, not a whole file.
pub const MAX_OVERRIDES: usize = 1024;

/// The text of the scenario `text` with each `(path, value)` of `overrides` set, in order.
///
/// A path is a list of steps joined by dots: a step into a mapping is a key, a step into a list
/// is the `id` of an element (`batteries.upper-1.launchers`) or its index from 0
/// (`sensors.0.facing_deg`). The last step may add a key that the mapping lacks; every other
/// step must exist. A path that cannot be followed is a diagnostic located at the node where it
/// stops, in `path` (the name of the file in diagnostics); a text that is not YAML gives the
/// loader's diagnostics.
///
/// The result is the scenario as JSON (which is YAML), preceded by a comment naming the file
/// and the overrides; it is not validated here: load it as any scenario text, whose diagnostics
/// then name positions in it.
pub fn with_overrides(
    text: &str,
    path: &Path,
    overrides: &[(String, Value)],
) -> Result<String, Diagnostics> {
    let mut problems = Problems::default();
    if overrides.len() > MAX_OVERRIDES {
        problems.push(
            Pos::START,
            format!(
                "{} overrides: at most {MAX_OVERRIDES} are applied at once",
                overrides.len()
            ),
        );
        return Err(problems.into_diagnostics(path));
    }
    let Some(root) = parse_tree(text, &mut problems) else {
        return Err(problems.into_diagnostics(path));
    };
    let mut json = root.to_json();
    for (dotted, value) in overrides {
        if let Err((pos, message)) = set(&root, &mut json, dotted, value.clone()) {
            problems.push(pos, format!("override `{dotted}`: {message}"));
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_diagnostics(path));
    }
    let mut out = format!("# {} with overrides:\n", path.display());
    for (dotted, value) in overrides {
        out.push_str(&format!("#   {dotted} = {value}\n"));
    }
    // A serde_json::Value always serialises.
    out.push_str(&serde_json::to_string_pretty(&json).unwrap_or_default());
    out.push('\n');
    Ok(out)
}

/// Sets `value` at `dotted` in `json`, the JSON of `root`; on failure, the position of the node
/// where the path stops and why.
fn set(root: &Node, json: &mut Value, dotted: &str, value: Value) -> Result<(), (Pos, String)> {
    let steps: Vec<&str> = dotted.split('.').collect();
    if steps.iter().any(|s| s.is_empty()) {
        return Err((
            Pos::START,
            "a path is keys and ids joined by single dots, none empty".to_owned(),
        ));
    }
    let (last, inner) = steps.split_last().unwrap_or((&"", &[]));
    let (mut node, mut json) = (root, json);
    for step in inner {
        let i = child(node, step)?;
        let pos = node.pos;
        let next = match (&node.kind, json) {
            (NodeKind::Map(entries), Value::Object(map)) => map
                .get_mut(&entries[i].0.key_text())
                .map(|j| (&entries[i].1, j)),
            (NodeKind::Seq(items), Value::Array(array)) => array.get_mut(i).map(|j| (&items[i], j)),
            _ => None,
        };
        // The JSON is the tree's own, so it has every child that the tree has.
        (node, json) = next.ok_or((pos, format!("cannot step into `{step}`")))?;
    }
    match (&node.kind, json) {
        (NodeKind::Map(_), Value::Object(map)) => {
            map.insert((*last).to_owned(), value);
            Ok(())
        }
        (NodeKind::Seq(_), Value::Array(array)) => {
            let i = child(node, last)?;
            array[i] = value;
            Ok(())
        }
        _ => Err((
            node.pos,
            format!("`{last}` cannot be set in {}", node.describe()),
        )),
    }
}

/// The index of step `step` in `node`: of the entry with that key in a mapping, of the element
/// with that `id` (or at that index) in a list.
fn child(node: &Node, step: &str) -> Result<usize, (Pos, String)> {
    match &node.kind {
        NodeKind::Map(entries) => entries
            .iter()
            .position(|(k, _)| k.key_text() == step)
            .ok_or_else(|| {
                let keys: Vec<String> = entries.iter().map(|(k, _)| k.key_text()).collect();
                (
                    node.pos,
                    format!(
                        "no key `{step}` here{}",
                        did_you_mean(step, keys.iter().map(String::as_str))
                    ),
                )
            }),
        NodeKind::Seq(items) => {
            let ids: Vec<&str> = items
                .iter()
                .filter_map(|item| item.get("id").and_then(Node::as_str))
                .collect();
            items
                .iter()
                .position(|item| item.get("id").and_then(Node::as_str) == Some(step))
                .or_else(|| step.parse::<usize>().ok().filter(|&i| i < items.len()))
                .ok_or_else(|| {
                    (
                        node.pos,
                        format!(
                            "no element with id `{step}` in this list of {}{}",
                            items.len(),
                            did_you_mean(step, ids.iter().copied())
                        ),
                    )
                })
        }
        _ => Err((
            node.pos,
            format!("cannot step into {} with `{step}`", node.describe()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name: t\nbatteries:\n  - {id: b-1, launchers: 2}\n  - {id: b-2, launchers: 3}\nraid:\n  - id: salvo\n    count: 8\n";

    fn apply(overrides: &[(&str, Value)]) -> Result<Value, Diagnostics> {
        let owned: Vec<(String, Value)> = overrides
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let text = with_overrides(TEXT, Path::new("t.yaml"), &owned)?;
        Ok(crate::yaml_to_json(&text, Path::new("out.yaml")).expect("the output is YAML"))
    }

    #[test]
    fn sets_values_by_id_by_index_and_adds_a_last_key() {
        let json = apply(&[
            ("batteries.b-2.launchers", Value::from(5)),
            ("batteries.0.rounds_per_launcher", Value::from(8)),
            ("raid.salvo.count", Value::from(300)),
        ])
        .unwrap();
        assert_eq!(json["batteries"][1]["launchers"], 5);
        assert_eq!(json["batteries"][0]["launchers"], 2);
        assert_eq!(json["batteries"][0]["rounds_per_launcher"], 8);
        assert_eq!(json["raid"][0]["count"], 300);
        assert_eq!(json["name"], "t");
    }

    #[test]
    fn a_path_that_stops_is_located_where_it_stops() {
        let err = apply(&[
            ("batteries.b-3.launchers", Value::from(1)),
            ("raid.salvo.cuont.x", Value::from(1)),
        ])
        .unwrap_err();
        let d: Vec<_> = err.iter().collect();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].line, d[0].column), (3, 3));
        assert!(
            d[0].message.contains("no element with id `b-3`"),
            "{}",
            d[0]
        );
        assert!(d[0].message.contains("did you mean `b-1`"), "{}", d[0]);
        assert_eq!((d[1].line, d[1].column), (6, 5));
        assert!(d[1].message.contains("did you mean `count`"), "{}", d[1]);
        assert_eq!(d[1].file, Path::new("t.yaml"));
    }

    #[test]
    fn empty_steps_and_scalars_are_refused() {
        let err = apply(&[("name..x", Value::from(1)), ("name.x", Value::from(1))]).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err.to_string().contains("none empty"));
        assert!(err.to_string().contains("cannot be set in the string `t`"));
    }
}
