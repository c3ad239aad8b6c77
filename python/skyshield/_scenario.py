"""Scenarios and their runs: the library pipeline of ``skyshield run``, from Python."""

from __future__ import annotations

import json
import os
from functools import cached_property
from typing import Any

import pyarrow as pa

from . import _native

#: The name of a scenario given as text, in its diagnostics.
TEXT_NAME = "<text>"

#: Runs kept in full for :attr:`Result.threats` by default (runs ``0..100``), as ``skyshield
#: run --out`` keeps for ``events.parquet``.
DEFAULT_SAMPLE_RUNS = 100


def _json_default(value: Any) -> Any:
    # numpy scalars (from a grid built with numpy) and the like.
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    raise TypeError(f"an override value must be JSON: {value!r} is a {type(value).__name__}")


class Scenario:
    """A validated scenario, with its text.

    Made by :func:`load`; :meth:`with_` gives a variant. A scenario pickles as its text and
    name, so it travels to other processes (Ray workers) and is validated again there.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Scenario) -> None:
        self._native = native

    @property
    def text(self) -> str:
        """The scenario's YAML text (for a variant, the text with its overrides set)."""
        return self._native.text

    @property
    def file(self) -> str:
        """The file that names the scenario in diagnostics."""
        return self._native.file

    @property
    def name(self) -> str:
        """The scenario's ``name``."""
        return self._native.name

    @property
    def warnings(self) -> list[tuple[str, int | None, int | None, str]]:
        """Its lints, as ``skyshield validate`` prints them: input that is valid but
        implausible (latitude and longitude swapped, a battery that reaches nothing, an area
        beyond the usual), each ``(file, line, column, message)`` like
        :attr:`ScenarioError.diagnostics`; empty when there is none. A warning never stops a
        run."""
        return self._native.warnings

    @property
    def runs(self) -> int:
        """The scenario's own replications (``runs``)."""
        return self._native.runs

    @property
    def seed(self) -> int:
        """The scenario's own master seed (``seed``)."""
        return self._native.seed

    def with_(self, overrides: dict[str, Any] | None = None, /, **more: Any) -> Scenario:
        """The scenario with values set at dotted paths, validated again.

        A path is keys and list elements joined by dots; an element of a list is named by its
        ``id`` or by its index from 0: ``{"batteries.upper-1.rounds_per_launcher": 8,
        "raid.salvo-1.count": 300}``. Paths with dots or dashes go in the dictionary (or as
        ``**{...}``); plain keys may be keyword arguments. The last step of a path may add a key
        the mapping lacks.

        Raises :class:`ScenarioError` when a path cannot be followed (located where it stops)
        or when the result is not a valid scenario (located in the variant's :attr:`text`).
        """
        items = {**(overrides or {}), **more}
        pairs = json.dumps(list(items.items()), default=_json_default)
        return Scenario(self._native.with_overrides(pairs))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Scenario, (self._native,))

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, file={self.file!r}, runs={self.runs}, seed={self.seed})"


def load(path_or_text: str | os.PathLike[str]) -> Scenario:
    """Loads and validates a scenario.

    A path (``pathlib.Path``, or a ``str`` without a line break) is read as a scenario file,
    whose warning-zone files are read from its folder; a ``str`` with a line break is scenario
    text, named ``<text>`` in diagnostics.

    Raises :class:`ScenarioError` with the file, line, column and message of the first problem,
    and every problem in its ``diagnostics``.
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return Scenario(_native.Scenario.from_text(path_or_text, TEXT_NAME))
    return Scenario(_native.Scenario.from_path(os.fspath(path_or_text)))


def _table(ipc: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(ipc)).read_all()


class Result:
    """What a batch gave: its summary, a row per run, a row per threat of the kept runs."""

    __slots__ = ("__dict__", "_native")

    def __init__(self, native: _native.RunResult) -> None:
        self._native = native

    @cached_property
    def summary(self) -> dict[str, Any]:
        """The Summary: the JSON document of ``skyshield run --format json``, as a dict (with
        the scenario's ``reported:`` figures scored against the runs in ``reported``)."""
        return json.loads(self._native.summary_json)

    @cached_property
    def runs(self) -> pa.Table:
        """One row per run (the columns of ``runs.parquet``): ``run``, ``seed``, ``leakers``,
        ``intercepted``, ``ignored_open_area``, ``failed_in_flight``, ``shots_<type>``,
        ``kills_<type>`` and ``reloaded_<type>`` per interceptor type, ``hits_<asset>`` per asset
        (ids in snake case), ``defense_cost_usd``, ``offense_cost_usd``."""
        return _table(self._native.runs_ipc)

    @cached_property
    def threats(self) -> pa.Table:
        """One row per threat of each kept run (the columns of ``events.parquet``): ``run``,
        ``threat``, ``group``, ``type``, ``class``, ``launch_s``, ``fate``, ``leak_cause``,
        ``end_s``, ``lat_deg``, ``lon_deg``, ``height_m``, ``battery``, ``asset``,
        ``debris_lat_deg``, ``debris_lon_deg``, ``shots``, ``launch_utc`` and ``end_utc`` (UTC
        timestamps when the scenario sets ``start``, null otherwise)."""
        return _table(self._native.threats_ipc)

    def replay(self, run: int) -> list[dict[str, Any]]:
        """Every event of run ``run``, played again alone, in the order they happened: the
        objects of ``events.jsonl`` (``skyshield replay``)."""
        return [json.loads(line) for line in self._native.replay_lines(run).splitlines()]

    def __repr__(self) -> str:
        s = self.summary
        return f"Result({s['scenario']!r}, runs={s['runs']}, seed={s['seed']})"


def run(
    scenario: Scenario,
    *,
    runs: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    nominal: bool = False,
    sample_runs: int = DEFAULT_SAMPLE_RUNS,
    uncertainty: str | None = None,
    parameter_sets: int = 10,
) -> Result:
    """Runs a batch of replications of ``scenario``, as ``skyshield run`` does.

    ``runs`` and ``seed`` default to the scenario's own; ``threads`` to one per core (the
    numbers do not depend on it); ``nominal`` takes every parameter at its nominal value
    instead of drawing it in each run (``uncertainty="chance"``). ``uncertainty`` is that of
    ``skyshield run --uncertainty`` (``"nominal"``, ``"chance"``, ``"parameters"`` or
    ``"both"``, over ``parameter_sets`` sets; ``docs/uncertainty.md``): the summary's
    ``uncertainty`` then splits the leakers' spread. Runs ``0..sample_runs`` are kept in full for
    :attr:`Result.threats`.

    The GIL is released while the batch runs; Ctrl-C cancels it and raises
    ``KeyboardInterrupt``. Raises :class:`ScenarioError` when the scenario cannot be prepared.
    """
    return Result(
        _native.run(
            scenario._native,
            runs=runs,
            seed=seed,
            threads=threads,
            nominal=nominal,
            sample_runs=sample_runs,
            uncertainty=uncertainty,
            parameter_sets=parameter_sets,
        )
    )


class Campaign:
    """What a campaign gave: its summary, and a row per run and day."""

    __slots__ = ("__dict__", "_native")

    def __init__(self, native: _native.CampaignRun) -> None:
        self._native = native

    @cached_property
    def summary(self) -> dict[str, Any]:
        """The campaign's summary: the JSON document of ``skyshield campaign --format json``
        (per-day series with their bands, exhaustion days, the day launchers limit the raid),
        as a dict."""
        return json.loads(self._native.summary_json)

    @cached_property
    def days(self) -> pa.Table:
        """One row per run and day (the columns of ``campaign.parquet``): ``run``, ``day``,
        ``leakers``, launches, stocks and launchers of the attacker, hits per asset, shots,
        kills, deliveries, deployed and depot rounds per interceptor type, each battery's state,
        and the day's costs."""
        return _table(self._native.days_ipc)

    def __repr__(self) -> str:
        s = self.summary
        return f"Campaign({s['scenario']!r}, runs={s['runs']}, seed={s['seed']})"


def campaign(
    scenario: Scenario,
    *,
    runs: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
) -> Campaign:
    """Plays the ``campaign:`` of ``scenario`` day by day over its runs, as ``skyshield
    campaign`` does: stocks, deliveries, launchers and battery availability carried from one
    day to the next.

    ``runs`` and ``seed`` default to the scenario's own; ``threads`` to one per core (the
    numbers do not depend on it). The GIL is released while it runs; Ctrl-C cancels it and
    raises ``KeyboardInterrupt``. Raises :class:`ScenarioError` when the scenario has no
    campaign or cannot be prepared.
    """
    return Campaign(_native.campaign(scenario._native, runs=runs, seed=seed, threads=threads))
