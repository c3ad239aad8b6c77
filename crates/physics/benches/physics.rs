//! Benchmarks of the physics kernels. Run with `cargo bench -p skyshield-physics --bench physics`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use skyshield_physics::earth::Geodetic;

/// Heights at which the geodetic <-> ECEF conversions are timed, m: the Dead Sea, sea level,
/// cruise altitude, the edge of space, an MRBM apogee, and geostationary orbit.
const HEIGHTS_M: [f64; 6] = [-430.0, 0.0, 10_000.0, 100_000.0, 1_500_000.0, 35_786_000.0];

fn earth(c: &mut Criterion) {
    let mut group = c.benchmark_group("earth");
    for height_m in HEIGHTS_M {
        let geodetic = Geodetic::from_degrees(32.0853, 34.7818, height_m).expect("valid point");
        let ecef = geodetic.to_ecef();
        group.bench_with_input(
            BenchmarkId::new("geodetic_to_ecef", height_m),
            &geodetic,
            |b, g| b.iter(|| black_box(g).to_ecef()),
        );
        group.bench_with_input(
            BenchmarkId::new("ecef_to_geodetic", height_m),
            &ecef,
            |b, p| b.iter(|| Geodetic::from_ecef(*black_box(p))),
        );
    }
    group.finish();
}

criterion_group!(benches, earth);
criterion_main!(benches);
