//! Benchmarks of replications. Run with `cargo bench -p skyshield-mc --bench mc`;
//! `skyshield bench` prints the throughput figures of the issue tracker's targets.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use skyshield_engine::{Prepared, Replication, prepare};
use skyshield_mc::{BatchOptions, run_batch};

fn load(path: &str) -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    let scenario = skyshield_scenario::load(&path).expect("valid scenario");
    prepare(&scenario).expect("prepares")
}

fn replications(c: &mut Criterion) {
    let default = load("scenarios/default.yaml");
    let abstract_two = load("scenarios/examples/abstract-two-layers.yaml");
    let mut group = c.benchmark_group("replication");
    let mut rep = Replication::new().with_parameter_sampling(true);
    let mut k = 0;
    group.bench_function("default_scenario", |b| {
        b.iter(|| {
            k += 1;
            black_box(rep.run(&default, 1, k).threats.len())
        })
    });
    group.bench_function("abstract_two_layers", |b| {
        b.iter(|| {
            k += 1;
            black_box(rep.run(&abstract_two, 1, k).threats.len())
        })
    });
    group.finish();
    let mut group = c.benchmark_group("batch_200_default_runs");
    group.sample_size(10);
    for threads in [1, 2] {
        group.bench_function(format!("{threads}_threads"), |b| {
            let opts = BatchOptions {
                runs: 200,
                seed: 1,
                threads,
                keep_runs: false,
                sample_runs: 0,
                sample_parameters: true,
            };
            b.iter(|| {
                run_batch(&default, &opts, skyshield_mc::Execution::default())
                    .expect("the batch runs")
                    .summary
                    .leakers
                    .mean
            })
        });
    }
    group.finish();
}

criterion_group!(benches, replications);
criterion_main!(benches);
