"""Type stubs of the native module (crates/py): the library pipeline, wrapped by the package."""

from typing import Any

MAX_THREADS: int

class Scenario:
    """A validated scenario with its text; prepared once, on its first run."""

    @staticmethod
    def from_path(path: str) -> Scenario:
        """Loads and validates the scenario file at ``path``; raises ``ScenarioError``."""

    @staticmethod
    def from_text(text: str, name: str) -> Scenario:
        """Validates scenario ``text``, named ``name`` in diagnostics; raises
        ``ScenarioError``."""

    def with_overrides(self, overrides: str) -> Scenario:
        """The scenario with each ``[path, value]`` of ``overrides`` (a JSON list) set over its
        text, validated again; raises ``ScenarioError``."""

    @property
    def text(self) -> str:
        """The scenario's text (YAML)."""

    @property
    def file(self) -> str:
        """The file that names the scenario in diagnostics."""

    @property
    def warnings(self) -> list[tuple[str, int | None, int | None, str]]:
        """Its lints, each ``(file, line, column, message)``."""

    @property
    def name(self) -> str:
        """The scenario's ``name``."""

    @property
    def runs(self) -> int:
        """The scenario's own replications."""

    @property
    def seed(self) -> int:
        """The scenario's own master seed."""

class RunResult:
    """The outputs of a batch."""

    @property
    def summary_json(self) -> str:
        """The Summary, as ``skyshield run --format json`` prints it."""

    @property
    def runs_ipc(self) -> bytes:
        """One row per run (the columns of ``runs.parquet``), as an Arrow IPC stream."""

    @property
    def threats_ipc(self) -> bytes:
        """One row per threat per kept run (the columns of ``events.parquet``), as an Arrow
        IPC stream."""

    def replay_lines(self, run: int) -> str:
        """The lines of ``events.jsonl`` for run ``run`` of the batch, played again alone."""

def run(
    scenario: Scenario,
    runs: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    nominal: bool = False,
    sample_runs: int = 100,
    uncertainty: str | None = None,
    parameter_sets: int = 10,
) -> RunResult:
    """Runs a batch with the GIL released; Ctrl-C cancels it (``KeyboardInterrupt``)."""

class CampaignRun:
    """The outputs of a campaign."""

    @property
    def summary_json(self) -> str:
        """The campaign's summary, as ``skyshield campaign --format json`` prints it."""

    @property
    def days_ipc(self) -> bytes:
        """One row per run and day (the columns of ``campaign.parquet``), as an Arrow IPC
        stream."""

def campaign(
    scenario: Scenario,
    runs: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
) -> CampaignRun:
    """Plays a scenario's campaign with the GIL released; Ctrl-C cancels it
    (``KeyboardInterrupt``)."""

def breakpoint_json(
    scenario: Scenario,
    question: str,
    id: str,
    group: str | None = None,
    asset: str | None = None,
    probability: float | None = None,
    runs: int = 500,
    seed: int | None = None,
    threads: int | None = None,
    nominal: bool = False,
    max_level: int | None = None,
) -> str:
    """The break point of ``question`` (``exhaustion``, ``rounds``, ``batteries``) about
    ``id``, as the JSON of ``skyshield breakpoint --format json``."""

def morris_sample_unit(
    inputs: int, trajectories: int = 10, levels: int = 4, seed: int = 1
) -> list[list[float]]:
    """Points of Morris trajectories in the unit cube."""

def morris_analyse_unit(
    points: list[list[float]], outputs: list[float], levels: int = 4, seed: int = 1
) -> dict[str, list[float]]:
    """``mu``, ``mu_star``, ``sigma``, ``mu_star_conf`` per input."""

def sobol_sample_unit(inputs: int, base_samples: int = 64, seed: int = 1) -> list[list[float]]:
    """Points of the Saltelli design in the unit cube."""

def sobol_analyse_unit(
    inputs: int,
    outputs: list[float],
    resamples: int = 500,
    confidence: float = 0.95,
    seed: int = 1,
) -> dict[str, list[Any]]:
    """``S1``, ``S1_ci``, ``ST``, ``ST_ci`` per input."""
