//! Benchmarks of the physics kernels. Run with `cargo bench -p skyshield-physics --bench physics`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use skyshield_physics::ballistic::{BoostedMissile, Guidance};
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{TrajectoryShape, Vehicle, fly};
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_physics::integrate::{Dopri5, System, Tolerances};

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

/// Free flight over the full Earth model (gravity with J2, Coriolis, centrifugal), the kernel of
/// every trajectory.
struct FreeFlight(EarthModel);

impl System<6> for FreeFlight {
    fn derivative(&self, _t: f64, y: &[f64; 6]) -> [f64; 6] {
        let r = Vector::<Ecef>::new(y[0], y[1], y[2]);
        let v = Vector::<Ecef>::new(y[3], y[4], y[5]);
        let a = self.0.acceleration(r, v);
        [v.x, v.y, v.z, a.x, a.y, a.z]
    }
}

fn integrators(c: &mut Criterion) {
    let sys = FreeFlight(EarthModel::FULL);
    let r = Geodetic::from_degrees(33.0, 40.0, 300e3)
        .expect("valid point")
        .to_ecef();
    let y0 = [r.x, r.y, r.z, 2000.0, -1500.0, 500.0];
    let mut group = c.benchmark_group("integrate");
    // One accepted Dormand-Prince step: integrate over exactly the first step size.
    let tol = Tolerances {
        rtol: 1e-10,
        atol: 1e-5,
        initial_step_s: 1.0,
        max_step_s: 1.0,
    };
    let dopri = Dopri5::new(tol);
    group.bench_function("dopri5_step", |b| {
        b.iter(|| dopri.integrate(&sys, 0.0, *black_box(&y0), 1.0, &[], |_, _| {}))
    });
    group.finish();
}

/// A notional single-stage liquid MRBM (the figures of the flight tests).
fn mrbm() -> Vehicle {
    Vehicle::Boosted(BoostedMissile {
        launch_mass_kg: 17_500.0,
        propellant_mass_kg: 15_000.0,
        burn_time_s: 160.0,
        isp_s: 265.0,
        diameter_m: 1.25,
        separating: true,
        rv_mass_kg: 650.0,
        rv_diameter_m: 0.9,
        guidance: Guidance::PitchProgram,
        min_range_m: 300e3,
        max_range_m: 2_000e3,
        max_apogee_m: None,
        pull_up_m_s2: 0.0,
    })
}

fn trajectories(c: &mut Criterion) {
    let launch = Geodetic::from_degrees(34.3, 47.1, 0.0).expect("valid point");
    let aim = Geodetic::from_degrees(32.08, 34.78, 0.0).expect("valid point");
    let vehicle = mrbm();
    let mut group = c.benchmark_group("trajectory");
    group.sample_size(10);
    group.bench_function("mrbm_min_energy_iran_tel_aviv", |b| {
        b.iter(|| {
            fly(
                &vehicle,
                &EarthModel::FULL,
                &launch,
                &[],
                &aim,
                TrajectoryShape::MinEnergy,
            )
            .expect("reachable")
        })
    });
    group.finish();
}

criterion_group!(benches, earth, integrators, trajectories);
criterion_main!(benches);
