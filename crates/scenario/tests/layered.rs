//! The shared example `layered.yaml` is accepted as written, and resolves to what it says.

use std::path::{Path, PathBuf};

use skyshield_scenario::load;

fn shared_example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/layered.yaml")
}

#[test]
fn the_shared_layered_example_is_valid() {
    let scenario = match load(&shared_example()) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(scenario.name, "Layered defense against a mixed raid");
    assert_eq!(scenario.seed, 1);
    assert_eq!(scenario.runs, 1000);
    let l = scenario.as_layered().expect("layered");
    assert_eq!(l.assets.len(), 2);
    assert_eq!(l.sensors.len(), 4);
    assert_eq!(l.batteries.len(), 5);
    assert_eq!(l.raid.len(), 5);
    assert_eq!(l.threat_count(), 60 + 20 + 4 + 10 + 100);
}
