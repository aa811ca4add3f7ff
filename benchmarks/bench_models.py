"""Models defined from their equations (issue "Open the model set", item 3).

- W1-gen: the generated Hodgkin-Huxley engine against a kernel written by hand for the
  same equations (``handwritten_hh.py``), same step, method and spike detection.
- user-again: a fresh process defines a model it has defined before (a Morris-Lecar
  typed by a user) and runs its first simulation; the generated engine and numba's
  machine code come from the cache.
- user-first: the same in a process with empty caches: generation (sympy) plus
  compilation, paid once per model and machine.
- cold-figure: a fresh process imports the course's front page, builds the playground
  and renders its first figure (caches present).

Each fresh-process row is the median over several processes started one after the
other; the time is taken inside the process, from its first line to the result.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np
from common import Result, Workload, median_time, under

_USER_MODEL = textwrap.dedent('''
    import time
    t0 = time.perf_counter()
    from neurolab.models import define_model
    from neurolab.simulate import simulate
    ML = define_model("MorrisLecarTyped", """
    dV/dt = (I - g_L*(V - E_L) - g_Ca*m_inf*(V - E_Ca) - g_K*w*(V - E_K)) / C
    dw/dt = phi*(w_inf - w)/tau_w
    m_inf = 0.5*(1 + tanh((V - V1)/V2))
    w_inf = 0.5*(1 + tanh((V - V3)/V4))
    tau_w = 1/cosh((V - V3)/(2*V4))
    """, {"C": 20.0, "g_L": 2.0, "E_L": -60.0, "g_Ca": 4.4, "E_Ca": 120.0, "g_K": 8.0,
          "E_K": -84.0, "V1": -1.2, "V2": 18.0, "V3": 2.0, "V4": 30.0, "phi": 0.04},
       current_unit="uA/cm2", register_model=False)
    trace = simulate(ML(), 1000.0, current=100.0)
    print(len(trace.spike_times), time.perf_counter() - t0)
''')

_FIGURE = textwrap.dedent('''
    import time
    t0 = time.perf_counter()
    from neurolab.widgets import playground
    app = playground()
    png = app.explorer.view.png()
    print(len(png), time.perf_counter() - t0)
''')


def _process(script: str, env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                         capture_output=True, text=True)
    first, seconds = out.stdout.strip().splitlines()[-1].split()
    return float(first), float(seconds)


def run_w1_generated(quick: bool) -> Result:
    from handwritten_hh import simulate_handwritten

    from neurolab.models import HodgkinHuxley
    from neurolab.simulate import simulate

    model = HodgkinHuxley()
    y0 = model.rest(0.0)
    repeats = 7 if quick else 31
    generated = median_time(lambda: simulate(model, 1000.0, current=10.0, y0=y0), repeats,
                            warmup=2)
    hand = median_time(lambda: simulate_handwritten(model, 1000.0, 10.0, y0), repeats,
                       warmup=2)
    a = simulate(model, 1000.0, current=10.0, y0=y0).spike_times
    b = simulate_handwritten(model, 1000.0, 10.0, y0)
    diff = float(np.max(np.abs(a - b))) if a.size == b.size else float("inf")
    res = Result(generated, accuracy=f"spike times vs the hand-written kernel: largest "
                 f"difference {diff:.2g} ms ({a.size} spikes)")
    res.extra.update(handwritten=hand, ratio=generated / hand)
    res.notes.append(f"W1-gen: generated engine {generated * 1e3:.2f} ms, hand-written "
                     f"kernel {hand * 1e3:.2f} ms (ratio {generated / hand:.2f}; target "
                     "<= 1.10)")
    return res


def _met_w1(res: Result) -> bool:
    return res.extra["ratio"] <= 1.10


def run_user_again(quick: bool) -> Result:
    with tempfile.TemporaryDirectory(prefix="neurolab-bench-user-") as folder:
        env = dict(os.environ, NEUROLAB_CACHE_DIR=folder)
        t0 = time.perf_counter()
        spikes, first_inside = _process(_USER_MODEL, env)
        first_wall = time.perf_counter() - t0
        runs = [_process(_USER_MODEL, env)[1] for _ in range(3 if quick else 7)]
    seconds = float(np.median(runs))
    res = Result(seconds, accuracy=f"{spikes:.0f} spikes in 1 s at 100 uA/cm2")
    res.notes.append(f"user model: first definition ever (sympy, code generation, numba "
                     f"compilation) {first_inside:.2f} s inside the process "
                     f"({first_wall:.2f} s whole); later processes {seconds:.2f} s "
                     f"(median of {len(runs)}, fastest {min(runs):.2f} s)")
    res.extra.update(first=first_inside, runs=runs)
    return res


def run_user_first(quick: bool) -> Result:
    with tempfile.TemporaryDirectory(prefix="neurolab-bench-user-") as folder:
        env = dict(os.environ, NEUROLAB_CACHE_DIR=folder)
        _spikes, seconds = _process(_USER_MODEL, env)
    return Result(seconds, accuracy="generation + compilation, empty caches")


def run_cold_figure(quick: bool) -> Result:
    env = dict(os.environ)
    _process(_FIGURE, env)  # the caches exist
    runs = [_process(_FIGURE, env)[1] for _ in range(3 if quick else 5)]
    seconds = float(np.median(runs))
    res = Result(seconds, accuracy="playground (Hodgkin-Huxley trace and reduced plane), "
                 "first PNG rendered")
    res.extra["runs"] = runs
    return res


WORKLOADS = [
    Workload("W1-gen", "HH 1000 ms: generated engine vs a hand-written numba kernel",
             "within 10% of hand-written", run_w1_generated, _met_w1),
    Workload("user-again", "fresh process defines a cached user model + first 1 s run",
             "<= 0.5 s", run_user_again, under(0.5)),
    Workload("user-first", "the same with empty caches (generation + compile)",
             "(reported)", run_user_first, None),
    Workload("cold-figure", "fresh process: playground built and first figure rendered",
             "<= 1.5 s", run_cold_figure, under(1.5)),
]
