"""skyshield: a simulator of layered air-and-missile defense for analysis, from Python.

Public, notional parameters only. The native module runs the library pipeline of the command
line (``skyshield run``): the same validation with located errors, the same batches, the same
Summary JSON and tables.

Example::

    import skyshield

    s = skyshield.load("scenarios/iskander-patriot.yaml")
    r = skyshield.run(s.with_({"raid.iskander-salvo.count": 12}), runs=200, seed=1)
    print(r.summary["leakers"]["mean"], r.runs.to_pandas())
    table = skyshield.sweep(s, grid={"batteries.patriot-1.launchers": [2, 4, 6]}, runs=500)
"""

from __future__ import annotations

from ._breakpoint import breakpoint
from ._errors import ScenarioError
from ._scenario import DEFAULT_SAMPLE_RUNS, Campaign, Result, Scenario, campaign, load, run
from ._sensitivity import morris_analyse, morris_sample, sobol_analyse, sobol_sample
from ._sweep import metrics, sweep, variant_key, variants

__all__ = [
    "DEFAULT_SAMPLE_RUNS",
    "Campaign",
    "Result",
    "Scenario",
    "ScenarioError",
    "breakpoint",
    "campaign",
    "load",
    "metrics",
    "morris_analyse",
    "morris_sample",
    "run",
    "sobol_analyse",
    "sobol_sample",
    "sweep",
    "variant_key",
    "variants",
]
__version__ = "0.1.0"
