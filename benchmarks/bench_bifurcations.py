"""Bifurcation workload (issue "Analysis", item 2): every bifurcation of Hodgkin-Huxley
for 0 <= I <= 200 uA/cm2, unstable cycles included (target <= 2 s warm).

"Warm" means numba's code is compiled and loaded; the analysis' own caches (curves of
equilibria, cycle branches, equilibrium scans) are cleared before each timed call, so
the whole computation is repeated. Accuracy is reported against the published values
(Rinzel & Miller 1980): Hopf points 9.78 and 154.5, fold of limit cycles 6.26.
"""

from __future__ import annotations

from common import Result, Workload, median_time, under

from neurolab.analysis import bifurcation as B
from neurolab.analysis import continuation as C
from neurolab.models import HodgkinHuxley
from neurolab.models import base as model_base

PUBLISHED = {"Hopf": [9.78, 154.5], "fold of limit cycles": [6.26]}


def _clear() -> None:
    B._analyse.cache_clear()
    B._cycle_branches.cache_clear()
    C.trace_equilibria.cache_clear()
    model_base._scan_equilibria.cache_clear()


def _hh(quick: bool) -> Result:
    m = HodgkinHuxley()

    def once():
        _clear()
        return B.bifurcations(m, (0.0, 200.0))

    found = once()
    secs = median_time(once, repeats=1 if quick else 3, warmup=0)
    errs = []
    for kind, vals in PUBLISHED.items():
        got = sorted(b.I for b in found if b.kind == kind)
        for v in vals:
            errs.append(min(abs(g - v) / v for g in got) if got else float("inf"))
    (branch,) = B.limit_cycles(m, (0.0, 200.0))
    return Result(
        seconds=secs,
        accuracy=f"largest relative error vs published points {max(errs):.2%}",
        notes=[f"{len(found)} bifurcations; one cycle branch of {len(branch.I)} orbits, "
               f"{int((~branch.stable).sum())} unstable (largest Floquet multiplier "
               f"{branch.multipliers.max():.3g})"],
        extra={"bifurcations": [(b.kind, b.I) for b in found]},
    )


WORKLOADS = [
    Workload("bifurcations HH", "bifurcations(HodgkinHuxley(), I_range=(0, 200)) with "
             "unstable cycles, warm", "<= 2 s", _hh, under(2.0)),
]

if __name__ == "__main__":
    r = _hh(False)
    print(f"{r.seconds:.3f} s; {r.accuracy}; {r.notes[0]}")
