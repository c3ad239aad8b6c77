//! The preparation of a sweep's variants: a hundred variants of the default scenario that move
//! every battery and resize one, prepared through one [`FlightCache`] as a sweep does, so that
//! only the first solves flights.

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};
use skyshield_engine::{FlightCache, GLOBAL_CACHE_SAMPLES, prepare_timed};
use skyshield_scenario::{DEFAULT_SCENARIO, Scenario};

use super::BenchError;

/// Variants in the sweep.
pub const SWEEP_VARIANTS: usize = 100;

/// Variant `k` of `base` (the default scenario): every battery moved by up to 0.09° north and
/// east on a ten-by-ten grid, and the first battery's launchers from one to four.
fn variant(base: &Scenario, k: usize) -> Result<Scenario, BenchError> {
    let layered = base
        .as_layered()
        .ok_or_else(|| BenchError::Scenario("the default scenario is not layered".into()))?;
    let (dlat, dlon) = (0.01 * (k % 10) as f64, 0.01 * (k / 10) as f64);
    let mut overrides: Vec<(String, Value)> = layered
        .batteries
        .iter()
        .map(|b| {
            let p = &b.position;
            (
                format!("batteries.{}.at", b.id),
                json!([p.lat_deg() + dlat, p.lon_deg() + dlon, p.height_m()]),
            )
        })
        .collect();
    overrides.push(("batteries.0.launchers".into(), json!(1 + k % 4)));
    let path = Path::new("sweep.yaml");
    let text = skyshield_scenario::with_overrides(DEFAULT_SCENARIO, path, &overrides)
        .map_err(|d| BenchError::Scenario(d.to_string()))?;
    skyshield_scenario::from_str(&text, path).map_err(|d| BenchError::Scenario(d.to_string()))
}

/// Prepares the [`SWEEP_VARIANTS`] variants through one new cache and hands a line of results
/// to `print`: the first preparation, which solves the flights, and the mean of the others,
/// with the flights they solved and the radar coverages they computed in all, and the debris
/// falls computed a variant.
pub fn prepare_sweep(print: &mut dyn FnMut(&str)) -> Result<(), BenchError> {
    let base = skyshield_scenario::from_str(DEFAULT_SCENARIO, Path::new("default.yaml"))
        .map_err(|d| BenchError::Scenario(d.to_string()))?;
    let variants = (0..SWEEP_VARIANTS)
        .map(|k| variant(&base, k))
        .collect::<Result<Vec<_>, _>>()?;
    let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
    let (_, first) = prepare_timed(&variants[0], &cache)?;
    let after_first = cache.stats();
    let start = Instant::now();
    let (mut flights_s, mut rest_s) = (0.0, 0.0);
    for v in &variants[1..] {
        let (_, stages) = prepare_timed(v, &cache)?;
        flights_s += stages.flights_s;
        rest_s += stages.total_s - stages.flights_s;
    }
    let others = (SWEEP_VARIANTS - 1) as f64;
    let last = cache.stats();
    let per_variant_ms = start.elapsed().as_secs_f64() * 1e3 / others;
    print(&format!(
        "sweep of {SWEEP_VARIANTS} variants moving the batteries (default scenario): first prepared in {:.1} ms ({} flights solved), each other in {per_variant_ms:.1} ms ({:.1} ms flights, {:.1} ms coverage, windows and zones; {} flights solved, {} radar coverages computed, {:.0} debris falls a variant)",
        first.total_s * 1e3,
        after_first.solves,
        flights_s * 1e3 / others,
        rest_s * 1e3 / others,
        last.solves - after_first.solves,
        last.coverages - after_first.coverages,
        (last.falls - after_first.falls) as f64 / others,
    ));
    Ok(())
}
