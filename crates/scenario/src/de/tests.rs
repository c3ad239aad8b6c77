use serde::Deserialize;

use super::*;
use crate::located::Located;
use crate::node::parse;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Item {
    id: Located<String>,
    count: u32,
    #[serde(default)]
    size: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc {
    name: String,
    items: Vec<Item>,
}

fn read(text: &str) -> (Option<Doc>, Vec<String>) {
    let node = parse(text).expect("yaml");
    let mut problems = Problems::default();
    let doc = from_node::<Doc>(&node, &mut problems);
    let mut out: Vec<String> = problems
        .0
        .iter()
        .map(|p| format!("{}: {}", p.pos, p.message))
        .collect();
    out.sort();
    (doc, out)
}

#[test]
fn every_problem_is_reported() {
    let text = "name: x\nitems:\n  - {id: a, count: 1, colour: red}\n  - {id: b, count: two}\n  - {id: c, count: 3, size: big}\n  - {id: d, count: 4}\nextra: 1\n";
    let (doc, problems) = read(text);
    assert_eq!(
        problems,
        vec![
            "3:23: unknown field `colour` in item; expected `id`, `count` or `size`",
            "4:20: expected a non-negative integer, found the string `two`",
            "5:29: expected a number, found the string `big`",
            "7:1: unknown field `extra` in doc; expected `name` or `items`",
        ]
    );
    let doc = doc.expect("the document is still read");
    let ids: Vec<&str> = doc.items.iter().map(|i| i.id.value.as_str()).collect();
    assert_eq!(ids, ["a", "c", "d"]);
    assert_eq!(
        doc.items[0].id.pos,
        Pos {
            line: 3,
            column: 10
        }
    );
}

#[test]
fn missing_fields_and_non_finite_numbers() {
    let (_, problems) = read("name: x\nitems:\n  - {id: a}\n  - {id: b, count: 1, size: .nan}\n");
    assert_eq!(
        problems,
        vec![
            "3:5: missing field `count`",
            "4:29: expected a finite number, found `.nan`",
        ]
    );
}

#[test]
fn a_root_of_the_wrong_type() {
    let (doc, problems) = read("- 1\n- 2\n");
    assert!(doc.is_none());
    assert_eq!(
        problems,
        vec!["1:1: expected a mapping (doc), found a list"]
    );
}
