"""The package against the command line: loading, overrides, runs, tables, replays, errors."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SCENARIOS, SMALL

import skyshield


def cli_json(cli: Path, out: Path, *args: str) -> dict:
    """`skyshield run ARGS --out OUT --format json`: with --out, the batch keeps runs 0..100 in
    full, as `skyshield.run` does by default (its `representative_run` is one of them)."""
    done = subprocess.run(
        [str(cli), "run", *args, "--out", str(out), "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    printed = json.loads(done.stdout)
    assert printed == json.loads((out / "summary.json").read_text())
    return printed


def without_timing(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "timing"}


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_summary_equals_the_cli_json_for_the_same_seed(cli: Path, tmp_path: Path) -> None:
    for nominal in (False, True):
        flags = ["--nominal"] if nominal else []
        out = tmp_path / str(nominal)
        expected = cli_json(cli, out, str(SMALL), "--runs", "300", "--seed", "9", *flags)
        got = skyshield.run(skyshield.load(SMALL), runs=300, seed=9, nominal=nominal).summary
        assert without_timing(got) == without_timing(expected)
        assert got["timing"].keys() == expected["timing"].keys()


def test_the_summary_does_not_depend_on_threads() -> None:
    s = skyshield.load(SMALL)
    one = skyshield.run(s, runs=200, seed=3, threads=1)
    two = skyshield.run(s, runs=200, seed=3, threads=2)
    assert without_timing(one.summary) == without_timing(two.summary)
    assert one.runs.equals(two.runs)


def test_load_with_and_run_round_trip(cli: Path, tmp_path: Path) -> None:
    s = skyshield.load(SMALL)
    assert (s.name, s.runs, s.seed) == (
        "Iskander-class salvo against an air base defended by Patriot and THAAD",
        2000,
        723,
    )
    assert skyshield.load(str(SMALL)).text == s.text == SMALL.read_text()
    v = s.with_({"batteries.thaad-1.rounds_per_launcher": 3, "raid.iskander-salvo.count": 12})
    r = skyshield.run(v, runs=100, seed=4)
    assert r.summary["threats"] == 12
    assert r.summary["by_layer"]["thaad"]["rounds"] == 2 * 3
    assert r.summary["seed"] == 4 and r.summary["runs"] == 100
    assert r.runs.num_rows == 100
    # The variant's text is a scenario file: the command line runs it to the same summary.
    path = tmp_path / "variant.yaml"
    path.write_text(v.text)
    from_cli = cli_json(cli, tmp_path / "out", str(path), "--runs", "100", "--seed", "4")
    assert without_timing(from_cli) == without_timing(r.summary)
    # Text, pickles and chained overrides give the same scenario.
    assert skyshield.load(v.text).text == v.text
    again = pickle.loads(pickle.dumps(v))
    assert (again.text, again.file) == (v.text, v.file)
    chained = s.with_({"batteries.thaad-1.rounds_per_launcher": 3}).with_(
        {"raid.iskander-salvo.count": 12}
    )
    assert without_timing(skyshield.run(chained, runs=100, seed=4).summary) == without_timing(
        r.summary
    )
    # The original is unchanged.
    assert skyshield.run(s, runs=10, seed=4).summary["threats"] == 8


def test_tables_have_the_documented_columns() -> None:
    r = skyshield.run(skyshield.load(SMALL), runs=40, seed=2, sample_runs=5)
    layers = [t.replace("-", "_") for t in sorted(r.summary["by_layer"])]
    # Hits per asset come in the scenario's order of the assets.
    hits = [f"hits_{a.replace('-', '_')}" for a in r.summary["assets"]]
    names = r.runs.column_names
    assert names[:6 + 3 * len(layers)] == [
        "run", "seed", "leakers", "intercepted", "ignored_open_area", "failed_in_flight",
        *[f"shots_{t}" for t in layers], *[f"kills_{t}" for t in layers],
        *[f"reloaded_{t}" for t in layers],
    ]  # fmt: skip
    assert sorted(names[6 + 3 * len(layers) : -2]) == sorted(hits)
    assert names[-2:] == ["defense_cost_usd", "offense_cost_usd"]
    assert r.runs.schema.field("run").type == pa.uint64()
    assert r.runs.schema.field("leakers").type == pa.uint32()
    assert r.runs.schema.field("defense_cost_usd").type == pa.float64()
    assert r.runs.column("run").to_pylist() == list(range(40))
    mean = sum(r.runs.column("leakers").to_pylist()) / 40
    assert mean == pytest.approx(r.summary["leakers"]["mean"], rel=1e-12)
    assert r.threats.column_names == [
        "run", "threat", "group", "type", "class", "launch_s", "fate", "leak_cause", "end_s",
        "lat_deg", "lon_deg", "height_m", "battery", "asset", "debris_lat_deg",
        "debris_lon_deg", "shots", "launch_utc", "end_utc",
    ]  # fmt: skip
    # The scenario sets no start: its events are not dated.
    assert r.threats.column("launch_utc").null_count == r.threats.num_rows
    assert r.threats.num_rows == 5 * r.summary["threats"]
    assert set(r.threats.column("run").to_pylist()) == set(range(5))
    df = r.runs.to_pandas()
    assert len(df) == 40


def test_replay_gives_the_events_of_the_cli_replay(cli: Path, tmp_path: Path) -> None:
    r = skyshield.run(skyshield.load(SMALL), runs=20, seed=11)
    subprocess.run(
        [str(cli), "replay", str(SMALL), "--run", "7", "--seed", "11", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    events = r.replay(7)
    assert events == [json.loads(line) for line in lines]
    row = r.runs.slice(7, 1).to_pylist()[0]
    impacts = sum(e["event"] == "impact" for e in events)
    assert impacts == row["leakers"] + row["ignored_open_area"]
    with pytest.raises(ValueError, match="run 20 is not in the batch"):
        r.replay(20)


def test_errors_carry_file_line_and_column(cli: Path, tmp_path: Path) -> None:
    text = SMALL.read_text().replace("launchers: 4", "launchers: -4")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(skyshield.ScenarioError) as info:
        skyshield.load(bad)
    e = info.value
    assert e.file == str(bad)
    assert e.line == line_of(text, "launchers: -4")
    assert e.column is not None and e.column > 1
    # The same first problem as the command line prints, which exits with code 2.
    out = subprocess.run([str(cli), "run", str(bad)], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.splitlines()[0] == f"{bad}:{e.line}:{e.column}: {e.message}"
    assert str(e).splitlines()[0] == out.stderr.splitlines()[0]
    # Text is named <text>.
    with pytest.raises(skyshield.ScenarioError) as info:
        skyshield.load(text)
    assert (info.value.file, info.value.line) == ("<text>", e.line)


def test_lint_warnings_come_with_the_scenario_located(tmp_path: Path) -> None:
    rockets = SCENARIOS / "rocket-barrage.yaml"
    assert skyshield.load(rockets).warnings == []
    circle = "circle: {center: [31.525, 34.596], radius_km: 2}"
    text = rockets.read_text().replace(circle, circle.replace("radius_km: 2", "radius_km: 150"))
    wide = tmp_path / "wide.yaml"
    wide.write_text(text)
    line = line_of(text, "radius_km: 150")
    for source, file in ((wide, str(wide)), (text, "<text>")):
        s = skyshield.load(source)
        assert len(s.warnings) == 1, s.warnings
        (f, ln, c, message) = s.warnings[0]
        assert (f, ln) == (file, line)
        assert c is not None and c > 1
        assert message.startswith("asset `sderot` is 150 km in radius")
    # A warning does not stop a run.
    assert skyshield.run(skyshield.load(wide), runs=2).summary["runs"] == 2


def test_run_scores_the_reported_figures_as_the_cli_does(cli: Path, tmp_path: Path) -> None:
    rockets = SCENARIOS / "rocket-barrage.yaml"
    expected = cli_json(cli, tmp_path / "out", str(rockets), "--runs", "60", "--seed", "5")
    got = skyshield.run(skyshield.load(rockets), runs=60, seed=5).summary
    assert len(got["reported"]) >= 2
    assert got["reported"] == expected["reported"]
    assert {f["metric"] for f in got["reported"]} >= {"ignored_share", "intercept_rate"}


def test_override_paths_are_located_where_they_stop() -> None:
    s = skyshield.load(SMALL)
    with pytest.raises(skyshield.ScenarioError) as info:
        s.with_({"batteries.patriot-9.launchers": 2})
    e = info.value
    assert (e.file, e.line) == (str(SMALL), line_of(s.text, "{id: patriot-1"))
    assert e.column == 3
    assert "no element with id `patriot-9`" in e.message
    assert "did you mean `patriot-1`" in e.message


def test_bad_override_values_are_located_in_the_variant_text() -> None:
    s = skyshield.load(SMALL)
    with pytest.raises(skyshield.ScenarioError) as info:
        s.with_({"batteries.thaad-1.launchers": -2, "raid.iskander-salvo.count": 0})
    e = info.value
    assert e.file.endswith("(with overrides)")
    assert len(e.diagnostics) == 2
    # The same overrides with valid values give the same lines.
    lines = s.with_({"batteries.thaad-1.launchers": 7, "raid.iskander-salvo.count": 5}).text
    lines = lines.splitlines()
    (_, l1, c1, m1), (_, l2, c2, m2) = e.diagnostics
    assert '"launchers": 7' in lines[l1 - 1] and "launchers" in m1
    assert lines[l1 - 1][c1 - 1] == "7"
    assert '"count": 5' in lines[l2 - 1] and "count" in m2
    assert lines[l2 - 1][c2 - 1] == "5"


def test_a_missing_file_and_bad_arguments_are_errors(tmp_path: Path) -> None:
    with pytest.raises(skyshield.ScenarioError) as info:
        skyshield.load(tmp_path / "none.yaml")
    assert info.value.file == str(tmp_path / "none.yaml")
    s = skyshield.load(SMALL)
    with pytest.raises(ValueError, match="runs must be at least 1"):
        skyshield.run(s, runs=0)
    with pytest.raises(ValueError, match="threads must be 1 to 1024"):
        skyshield.run(s, runs=1, threads=0)


def test_every_library_scenario_loads() -> None:
    names = [skyshield.load(p).name for p in sorted(SCENARIOS.glob("*.yaml"))]
    assert len(names) >= 10 and all(names)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT from a timer needs POSIX signals")
def test_ctrl_c_cancels_a_batch() -> None:
    s = skyshield.load(SCENARIOS / "default.yaml")
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        # Ten million runs take hours: the interrupt stops the batch within its next chunk.
        with pytest.raises(KeyboardInterrupt):
            skyshield.run(s, runs=10_000_000, threads=2)
    finally:
        timer.cancel()


def test_the_gil_is_released_while_a_batch_runs() -> None:
    s = skyshield.load(SCENARIOS / "default.yaml")
    done: list[skyshield.Result] = []
    started = threading.Event()

    def batch() -> None:
        started.set()
        done.append(skyshield.run(s, runs=512, threads=1))

    worker = threading.Thread(target=batch)
    spins = 0
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        worker.start()
        started.wait()
        # Were the GIL held through the batch (prepare and 512 runs, about two seconds), this loop
        # would only run in the millisecond switch intervals around it: some thousand loops.
        while worker.is_alive():
            spins += 1
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert done and done[0].summary["runs"] == 512
    assert spins > 200_000


def test_campaign_equals_the_cli_and_its_days_are_the_parquet_rows(
    cli: Path, tmp_path: Path
) -> None:
    twelve_days = SCENARIOS / "jun-2025-12-day.yaml"
    args = ["campaign", str(twelve_days), "--runs", "20", "--seed", "5", "--format", "json"]
    done = subprocess.run(
        [str(cli), *args, "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    expected = json.loads(done.stdout)
    c = skyshield.campaign(skyshield.load(twelve_days), runs=20, seed=5, threads=1)
    assert c.summary == expected
    days = c.days
    assert days.num_rows == 20 * 12
    assert days.equals(pq.read_table(tmp_path / "campaign.parquet"))
    for column in ("run", "day", "leakers", "shots_thaad", "depot_thaad", "defense_cost_usd"):
        assert column in days.column_names, column
    # The table's leakers, summed per run, average to the summary's total, and per day to its
    # series.
    leakers = days.column("leakers").to_pylist()
    assert sum(leakers) / 20 == pytest.approx(c.summary["total_leakers"]["mean"])
    for day in c.summary["by_day"]:
        on_day = [n for n, d in zip(leakers, days.column("day").to_pylist()) if d == day["day"]]
        assert sum(on_day) / 20 == pytest.approx(day["leakers"]["mean"])
    # A scenario without a campaign is refused as a scenario error.
    with pytest.raises(skyshield.ScenarioError, match="no `campaign` section"):
        skyshield.campaign(skyshield.load(SMALL), runs=2)


ONE_RANGE = """name: one range
kind: abstract
seed: 2
runs: 100
threats: 10
tracking: common
layers:
  - {id: only, kill_probability: {low: 0.5, nominal: 0.6, high: 0.9}, shots_per_engagement: 1}
"""


def test_uncertainty_modes_split_the_leakers_spread_as_the_cli_does() -> None:
    sc = skyshield.load(ONE_RANGE)
    both = skyshield.run(sc, runs=200, uncertainty="both", parameter_sets=4).summary
    split = both["uncertainty"]
    assert (split["mode"], split["parameter_sets"], split["runs_per_set"]) == ("both", 4, 50)
    assert split["parameters_sd"] > 0
    chance = skyshield.run(sc, runs=200, uncertainty="chance").summary
    nominal = skyshield.run(sc, runs=200, nominal=True).summary
    assert chance["leakers"] == nominal["leakers"]
    assert chance["uncertainty"]["parameters_sd"] is None
    with pytest.raises(ValueError):
        skyshield.run(sc, uncertainty="all")
    with pytest.raises(ValueError):
        skyshield.run(sc, nominal=True, uncertainty="both")
