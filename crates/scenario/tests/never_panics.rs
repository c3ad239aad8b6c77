//! The parser and the checks never panic: random text and mutations of the layered example
//! (lines deleted, duplicated or swapped, characters changed, text cut short) give a scenario
//! or diagnostics, and every diagnostic points inside the file.

use std::path::Path;

use proptest::prelude::*;

const LAYERED: &str = include_str!("../../../scenarios/examples/layered.yaml");

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ChangeChar(usize, char),
    InsertChar(usize, char),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Characters that matter to YAML, digits, letters and a few outside ASCII.
    let ch = prop::sample::select(vec![
        ':', '-', '[', ']', '{', '}', ',', ' ', '\n', '\t', '#', '&', '*', '!', '|', '>', '\'',
        '"', '~', '.', '0', '9', 'e', 'x', 'n', 'a', 'é', '\u{0}', '\u{feff}',
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), ch.clone()).prop_map(|(p, c)| Mutation::ChangeChar(p, c)),
        (any::<usize>(), ch).prop_map(|(p, c)| Mutation::InsertChar(p, c)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    let chars: Vec<char> = text.chars().collect();
    match *m {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
            lines.join("\n")
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n];
            lines.insert(i % n, l);
            lines.join("\n")
        }
        Mutation::SwapLines(a, b) => {
            lines.swap(a % n, b % n);
            lines.join("\n")
        }
        Mutation::ChangeChar(p, c) if !chars.is_empty() => {
            let mut chars = chars;
            let i = p % chars.len();
            chars[i] = c;
            chars.into_iter().collect()
        }
        Mutation::InsertChar(p, c) => {
            let mut chars = chars;
            let i = p % (chars.len() + 1);
            chars.insert(i, c);
            chars.into_iter().collect()
        }
        Mutation::Truncate(p) => chars[..p % (chars.len() + 1)].iter().collect(),
        Mutation::ChangeChar(..) => text.to_owned(),
    }
}

/// Parse and check `text`; every diagnostic must lie inside the text.
fn check(text: &str) {
    let path = Path::new("mutated.yaml");
    if let Err(diagnostics) = skyshield_scenario::from_str(text, path) {
        assert!(!diagnostics.is_empty());
        let lines = text.split('\n').count() as u32;
        for d in &diagnostics {
            assert!(d.line >= 1 && d.column >= 1, "{d}");
            assert!(d.line <= lines + 1, "{d} (the text has {lines} lines)");
            assert!(!d.message.is_empty());
        }
    }
    let _ = skyshield_scenario::yaml_to_json(text, path);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutations_of_the_layered_example_never_panic(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        let mut text = LAYERED.to_owned();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn random_yaml_like_text_never_panics(
        text in "([a-z_]{1,12}: ?|- |  |\\[|\\]|\\{|\\}|, |[0-9.eE+-]{1,6}|\\.nan|\\.inf|~|\n|#|&a |\\*a|'|\"){0,80}"
    ) {
        check(&text);
    }
}

#[test]
fn the_unmutated_example_is_valid() {
    assert!(skyshield_scenario::from_str(LAYERED, Path::new("layered.yaml")).is_ok());
}
