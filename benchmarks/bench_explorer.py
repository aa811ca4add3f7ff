"""Explorer workloads: what one move of the playground's current slider costs, per model.

Each redraw is the whole path a slider event takes in the kernel: build the model from the
sliders, simulate the run, recompute the phase portrait at the new current (vector field,
nullclines, fixed points; the phase line for 1-D models), update the artists, blit them over
the cached background and encode the PNG. The current alternates between two values a few
steps apart so nothing is served from a cache. Target: well under 100 ms.

Run alone with ``python benchmarks/bench_explorer.py`` for a per-model breakdown
(compute vs drawing).
"""

from __future__ import annotations

import time

import numpy as np
from common import Result, Workload, under

from neurolab.models import MODELS
from neurolab.widgets.explorer import Explorer


def _moves(app: Explorer, repeats: int) -> tuple[list[float], list[float]]:
    """Wall times (s) of ``repeats`` slider moves: total and the compute part."""
    s = app.current
    base = float(s.value)
    total, compute = [], []
    for k in range(repeats + 1):
        with app._holding():  # set the value without the observer's own redraw
            s.value = base + (k % 7 + 1) * 3 * s.step
        t0 = time.perf_counter()
        app.redraw()
        t1 = time.perf_counter()
        app.view.refresh()
        t2 = time.perf_counter()
        if k:  # the first move warms caches
            total.append(t2 - t0)
            compute.append(t1 - t0)
    assert app.error == "", app.error
    return total, compute


def _workload(name: str):
    def run(quick: bool) -> Result:
        app = Explorer(name)
        total, _ = _moves(app, 5 if quick else 20)
        return Result(float(np.median(total)))

    return run


WORKLOADS = [
    Workload(f"explorer {name}", f"one current-slider move of the explorer ({name}): "
             "simulate + phase portrait + blit + PNG", "<= 0.1 s", _workload(name),
             under(0.1))
    for name in MODELS
]


def main() -> None:
    print(f"{'model':26s} {'median':>8s} {'p90':>8s} {'compute':>8s} {'draw+png':>9s}")
    for name in MODELS:
        app = Explorer(name)
        total, compute = _moves(app, 20)
        t, c = np.array(total) * 1e3, np.array(compute) * 1e3
        print(f"{name:26s} {np.median(t):6.1f}ms {np.percentile(t, 90):6.1f}ms "
              f"{np.median(c):6.1f}ms {np.median(t - c):7.1f}ms")


if __name__ == "__main__":
    main()
