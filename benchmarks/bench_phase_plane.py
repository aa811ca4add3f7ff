"""Phase-plane workloads (issue "Analysis", item 1): a 100 x 100 basin-of-attraction grid
(one parallel batch, target <= 1 s warm), and what a phase-plane widget recomputes when a
slider moves (vector field, nullclines, fixed points, separatrix).

Accuracy of the basin labels is measured, not assumed: a sample of grid points is run
one by one with :func:`neurolab.simulate.simulate` at the default step and the share of
labels that agree is reported.
"""

from __future__ import annotations

import numpy as np
from common import Result, Workload, median_time, under

from neurolab.analysis import basins, fixed_points, nullclines, separatrix, vector_field
from neurolab.models import INaPK, Izhikevich
from neurolab.simulate import simulate

#: Bistable I_Na,p + I_K (fast potassium gate): rest and repetitive spiking coexist.
BISTABLE = (INaPK(tau=0.16), 4.0, (-80.0, 10.0), (-0.1, 0.7))
#: Izhikevich RS below rheobase: one stable rest, a saddle and its separatrix.
IZH_RS = (Izhikevich.preset("RS"), 0.0, (-90.0, 30.0), (-20.0, 0.0))


def _agreement(model, I, X, Y, labels, attractors, n_check: int) -> float:
    """Share of sampled grid points whose label a single default-step run confirms."""
    rng = np.random.default_rng(0)
    idx = rng.integers(0, X.shape[0], size=(n_check, 2))
    ok = 0
    for i, j in idx:
        tr = simulate(model, 100.0, current=I, y0=[X[i, j], Y[i, j]])
        firing = np.count_nonzero(tr.spike_times >= 50.0) >= 2
        if firing:
            ok += attractors[labels[i, j]] == "spiking" if labels[i, j] >= 0 else 0
        else:
            k = labels[i, j]
            ok += k >= 0 and not isinstance(attractors[k], str)
    return ok / n_check


def _basins_workload(case, n_check: int):
    model, I, xlim, ylim = case

    def run(quick: bool) -> Result:
        out = {}

        def once():
            out["r"] = basins(model, I, xlim, ylim, n=100)

        seconds = median_time(once, repeats=2 if quick else 5)
        X, Y, labels, att = out["r"]
        agree = _agreement(model, I, X, Y, labels, att, 10 if quick else n_check)
        counts = {("spiking" if isinstance(att[k], str) else att[k].kind) if k >= 0
                  else "unsettled": int(np.count_nonzero(labels == k))
                  for k in np.unique(labels)}
        return Result(seconds=seconds,
                      accuracy=f"{100 * agree:.0f}% of sampled labels confirmed by single "
                               f"runs at the default step",
                      notes=[f"labels: {counts}"], extra={"labels": counts,
                                                          "agreement": agree})

    return run


def _widget_redraw(quick: bool) -> float:
    model, I, xlim, ylim = BISTABLE
    rng = np.random.default_rng(0)

    def once():
        vector_field(model, I, xlim, ylim, n=20)
        nullclines(model, I, xlim, ylim)
        fixed_points(model, I + float(rng.uniform(0, 1e-6)))  # defeat the cache
        separatrix(model, I, xlim=xlim, ylim=ylim)

    return median_time(once, repeats=3 if quick else 10)


WORKLOADS = [
    Workload("basins INaPK", "100 x 100 basin grid, bistable I_Na,p+I_K (tau=0.16 ms, "
             "I=4)", "<= 1 s warm", _basins_workload(BISTABLE, 40), under(1.0)),
    Workload("basins Izh RS", "100 x 100 basin grid, Izhikevich RS at I=0", "<= 1 s warm",
             _basins_workload(IZH_RS, 40), under(1.0)),
    Workload("phase-plane redraw", "vector field 20x20 + nullclines + fixed points + "
             "separatrix, I_Na,p+I_K", "<= 0.1 s", _widget_redraw, under(0.1)),
]
