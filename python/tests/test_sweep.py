"""Sweeps: the local backend, a real local Ray cluster (offline), and their agreement."""

from __future__ import annotations

import os
import random

import pyarrow as pa
import pytest
from conftest import SMALL

import skyshield

GRID = {
    "batteries.patriot-1.launchers": [2, 4, 6],
    "batteries.thaad-1.rounds_per_launcher": [2, 4, 6, 8],
}
RUNS, SEED = 200, 5


@pytest.fixture(scope="module")
def ray_cluster():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def local() -> pa.Table:
    return skyshield.sweep(skyshield.load(SMALL), GRID, runs=RUNS, seed=SEED, progress=False)


def test_a_row_per_variant_with_its_parameters_and_metrics(local: pa.Table) -> None:
    assert local.num_rows == 12
    names = local.column_names
    assert names[:4] == ["variant", *GRID, "seed"]
    for column in ("runs", "p_no_leaker", "p_no_leaker_ci95_low", "p_no_leaker_ci95_high",
                   "leakers_mean", "defense_cost_usd", "defense_cost_ci95_low",
                   "exchange_ratio", "shots_thaad", "p_hit_airbase"):  # fmt: skip
        assert column in names
    rows = local.to_pylist()
    assert [(r["batteries.patriot-1.launchers"], r["batteries.thaad-1.rounds_per_launcher"])
            for r in rows] == [(a, b) for a in GRID[names[1]] for b in GRID[names[2]]]  # fmt: skip
    # Each row is the variant's batch under the sweep's seed.
    s = skyshield.load(SMALL)
    for row in (rows[0], rows[7]):
        variant = {k: row[k] for k in GRID}
        assert row["variant"] == skyshield.variant_key(variant)
        assert row["seed"] == SEED
        summary = skyshield.run(s.with_(variant), runs=RUNS, seed=SEED).summary
        assert row == {"variant": row["variant"], **variant, "seed": SEED,
                       **skyshield.metrics(summary)}  # fmt: skip


def test_variants_share_their_random_numbers(local: pa.Table) -> None:
    # THAAD cannot reach these missiles (they fly under its floor) and fires nothing: with
    # common random numbers its rounds change no number of any run (with a seed per variant,
    # every row would differ).
    metrics = [n for n in local.column_names if n not in ("variant", *GRID)]
    by_patriot: dict[int, list[dict]] = {}
    for row in local.to_pylist():
        assert row["shots_thaad"] == 0
        by_patriot.setdefault(row["batteries.patriot-1.launchers"], []).append(row)
    for rows in by_patriot.values():
        assert len(rows) == len(GRID["batteries.thaad-1.rounds_per_launcher"])
        for row in rows[1:]:
            assert {m: row[m] for m in metrics} == {m: rows[0][m] for m in metrics}


def test_ray_equals_local_bit_for_bit_in_any_order(ray_cluster, local: pa.Table) -> None:
    s = skyshield.load(SMALL)
    on_ray = skyshield.sweep(s, GRID, runs=RUNS, seed=SEED, backend="ray", progress=False)
    assert on_ray.equals(local, check_metadata=True)
    shuffled = skyshield.variants(GRID)
    random.Random(1).shuffle(shuffled)
    again = skyshield.sweep(
        s, samples=shuffled, runs=RUNS, seed=SEED, backend="ray", progress=False
    )
    assert again.column("variant").to_pylist() == [skyshield.variant_key(v) for v in shuffled]
    assert again.sort_by("variant").equals(on_ray.sort_by("variant"), check_metadata=True)


def test_per_run_rows(ray_cluster) -> None:
    s = skyshield.load(SMALL)
    samples = [{"raid.iskander-salvo.count": n} for n in (4, 12)]
    local = skyshield.sweep(s, samples=samples, runs=50, seed=2, per_run=True, progress=False)
    on_ray = skyshield.sweep(
        s, samples=samples, runs=50, seed=2, per_run=True, backend="ray", progress=False
    )
    assert on_ray.equals(local)
    assert local.num_rows == 100
    assert local.column_names[:2] == ["variant", "raid.iskander-salvo.count"]
    second = local.slice(50, 50)
    direct = skyshield.run(s.with_(samples[1]), runs=50, seed=2).runs
    assert second.select(direct.column_names).equals(direct)
    intercepted = pa.compute.add(second.column("intercepted"), second.column("leakers"))
    assert max(intercepted.to_pylist()) <= 12


def test_bad_sweeps_are_refused() -> None:
    s = skyshield.load(SMALL)
    with pytest.raises(ValueError, match="either grid= or samples="):
        skyshield.sweep(s, GRID, samples=[{}])
    with pytest.raises(ValueError, match="are the same"):
        skyshield.sweep(s, samples=[{"runs": 3}, {"runs": 3}])
    with pytest.raises(ValueError, match="backend must be one of"):
        skyshield.sweep(s, GRID, backend="dask")
    with pytest.raises(skyshield.ScenarioError, match="no element with id `nope`"):
        skyshield.sweep(s, samples=[{"batteries.nope.launchers": 1}], runs=5, progress=False)
