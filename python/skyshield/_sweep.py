"""Sweeps: one batch per variant of a scenario, on this machine or on a Ray cluster."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa

from ._scenario import Result, Scenario, _json_default, run

#: Most variants of one sweep.
MAX_VARIANTS = 100_000

#: The column that names a variant: its parameters as canonical JSON (:func:`variant_key`).
VARIANT = "variant"

BACKENDS = ("local", "ray")


def variant_key(variant: Mapping[str, Any]) -> str:
    """A variant's key: its parameters as JSON with sorted keys and no spaces."""
    return json.dumps(dict(variant), sort_keys=True, separators=(",", ":"), default=_json_default)


def variants(
    grid: Mapping[str, Sequence[Any]] | None = None,
    samples: Iterable[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The variants of a sweep: every combination of ``grid`` (a list of values per dotted
    path, the first path varying slowest), or the dictionaries of ``samples`` as given."""
    if (grid is None) == (samples is None):
        raise ValueError("give either grid= or samples=")
    if grid is not None:
        paths = list(grid)
        out = [dict(zip(paths, values)) for values in itertools.product(*grid.values())]
    else:
        out = [dict(s) for s in samples or ()]
    if not out:
        raise ValueError("the sweep has no variant")
    if len(out) > MAX_VARIANTS:
        raise ValueError(f"{len(out)} variants: a sweep has at most {MAX_VARIANTS}")
    keys = [variant_key(v) for v in out]
    if len(set(keys)) != len(keys):
        raise ValueError("two variants of the sweep are the same")
    return out


def metrics(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of a variant's row taken from its Summary (see the README's table)."""
    leakers, cost, fates = summary["leakers"], summary["cost_usd"], summary["fates"]
    row: dict[str, Any] = {
        "runs": summary["runs"],
        "leakers_mean": leakers["mean"],
        "leakers_ci95_low": leakers["ci95"][0],
        "leakers_ci95_high": leakers["ci95"][1],
        "p_no_leaker": leakers["p_zero"],
        "p_no_leaker_ci95_low": leakers["p_zero_ci95"][0],
        "p_no_leaker_ci95_high": leakers["p_zero_ci95"][1],
        "intercepted": fates["intercepted"],
        "leaked": fates["leaked"],
        "ignored_open_area": fates["ignored_open_area"],
        "failed_in_flight": fates["failed_in_flight"],
        "defense_cost_usd": cost["defense"],
        "defense_cost_ci95_low": cost["defense_ci95"][0],
        "defense_cost_ci95_high": cost["defense_ci95"][1],
        "offense_cost_usd": cost["offense"],
        "exchange_ratio": cost["exchange_ratio"],
    }
    for layer, s in summary["by_layer"].items():
        row[f"shots_{snake_case(layer)}"] = s["shots"]
        row[f"kills_{snake_case(layer)}"] = s["kills"]
    for asset, s in summary["assets"].items():
        row[f"p_hit_{snake_case(asset)}"] = s["p_hit"]
    return row


def snake_case(name: str) -> str:
    """An id as it is written in a column name, as in ``runs.parquet``: lower case, every
    character other than an ASCII letter or digit as ``_``."""
    return "".join(c.lower() if c.isascii() and c.isalnum() else "_" for c in name)


def evaluate(
    scenario: Scenario,
    variant: Mapping[str, Any],
    runs: int | None,
    seed: int,
    nominal: bool,
    threads: int | None,
    per_run: bool,
) -> tuple[dict[str, Any], bytes | None]:
    """One task of a sweep: the variant's batch, as its row (and its runs table as Arrow IPC
    when ``per_run``)."""
    batch: Result = run(
        scenario.with_(dict(variant)) if variant else scenario,
        runs=runs,
        seed=seed,
        threads=threads,
        nominal=nominal,
        sample_runs=0,
    )
    row = {VARIANT: variant_key(variant), **variant, "seed": batch.summary["seed"]}
    row.update(metrics(batch.summary))
    return row, (batch._native.runs_ipc if per_run else None)


def _bar(total: int, progress: bool) -> Any:
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="variant")


def _local(tasks: list[dict[str, Any]], progress: bool, **common: Any) -> Iterator[Any]:
    bar = _bar(len(tasks), progress)
    for variant in tasks:
        yield evaluate(variant=variant, **common)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()


def _ray(
    tasks: list[dict[str, Any]], progress: bool, address: str | None, **common: Any
) -> list[Any]:
    try:
        import ray
    except ImportError as e:
        raise ImportError("backend='ray' needs Ray: pip install 'skyshield[ray]'") from e
    if not ray.is_initialized():
        ray.init(address=address)
    scenario = ray.put(common.pop("scenario"))
    task = ray.remote(num_cpus=1)(evaluate)
    threads = common.pop("threads") or 1
    refs = [task.remote(scenario, variant=v, threads=threads, **common) for v in tasks]
    index = {ref: i for i, ref in enumerate(refs)}
    out: list[Any] = [None] * len(refs)
    bar = _bar(len(refs), progress)
    pending = list(refs)
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        for ref in done:
            out[index[ref]] = ray.get(ref)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return out


#: Columns of a variant's row whose type is not the one pyarrow would infer (seeds use all 64
#: bits).
_TYPES = {"seed": pa.uint64(), "runs": pa.uint64()}


def _rows_table(rows: list[dict[str, Any]]) -> pa.Table:
    names = list(dict.fromkeys(name for row in rows for name in row))
    return pa.table({n: pa.array([row.get(n) for row in rows], type=_TYPES.get(n)) for n in names})


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]] | None = None,
    samples: Iterable[Mapping[str, Any]] | None = None,
    *,
    runs: int | None = None,
    seed: int | None = None,
    backend: str = "local",
    address: str | None = None,
    per_run: bool = False,
    nominal: bool = False,
    threads: int | None = None,
    progress: bool = True,
) -> pa.Table:
    """Runs one batch per variant of ``scenario`` and gives one table.

    The variants are every combination of ``grid`` (``{dotted path: [values]}``) or the
    dictionaries of ``samples`` (``[{dotted path: value}]``), each applied with
    :meth:`Scenario.with_`. Each variant runs ``runs`` replications (default: the scenario's)
    under the master seed ``seed`` (default: the scenario's): run ``k`` of every variant draws
    the same numbers for what the variants share (common random numbers, as ``skyshield
    compare``), so differences between variants are paired, and a variant's numbers do not
    depend on the backend, the order of the variants or the size of the cluster.

    The table has a row per variant, in the order of the variants: ``variant`` (its key), a
    column per dotted path, ``seed``, then its summary metrics
    (:func:`metrics`). With ``per_run=True`` it has a row per run of each variant instead:
    ``variant``, the paths, then the columns of :attr:`Result.runs`.

    ``backend="local"`` runs the variants one after another, each on ``threads`` threads (one
    per core by default). ``backend="ray"`` makes each variant a Ray task of one CPU (and
    ``threads`` threads, default 1): it joins the cluster at ``address`` (or the one this
    process is connected to), or starts a local one; the scenario goes into the object store
    once. ``progress`` shows a bar (tqdm) as variants finish.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    tasks = variants(grid, samples)
    common: dict[str, Any] = {
        "scenario": scenario,
        "runs": runs,
        "seed": scenario.seed if seed is None else seed,
        "nominal": nominal,
        "threads": threads,
        "per_run": per_run,
    }
    if backend == "ray":
        results = _ray(tasks, progress, address, **common)
    else:
        results = list(_local(tasks, progress, **common))
    if not per_run:
        return _rows_table([row for row, _ in results])
    tables = []
    for variant, (row, ipc) in zip(tasks, results):
        table = pa.ipc.open_stream(pa.py_buffer(ipc)).read_all()
        front = {VARIANT: row[VARIANT], **variant}
        for i, (name, value) in enumerate(front.items()):
            table = table.add_column(i, name, pa.array([value] * table.num_rows))
        tables.append(table)
    return pa.concat_tables(tables, promote_options="default")
