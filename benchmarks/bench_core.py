"""Core workloads (issue "Core", item 7): one HH neuron, an HH F-I curve, the Izhikevich
(2003) network, and the cold start of a fresh process; the first two also in NEURON and
Brian2 when they are installed (the ``bench`` extra).

Accuracy is measured, not assumed: spike times of every simulator are compared with a
converged reference computed once per run of the benchmarks (scipy's DOP853 at
rtol 1e-10 with event location), and each simulator runs at the step that reaches the
0.01 ms accuracy of the target (NEURON and Brian2: the largest step on a fixed ladder).
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.util
import math
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

import numpy as np
from common import NOT_INSTALLED, Result, Workload, median_time, ratio_at_least, under

I_W1 = 10.0  # uA/cm2
DURATION = 1000.0  # ms
ACCURACY = 0.01  # ms, largest spike-time error allowed
FI_CURRENTS = np.linspace(0.0, 20.0, 100)  # uA/cm2
#: Steps (ms) tried for NEURON and Brian2, largest first; the first that reaches
#: ACCURACY is used.
DT_LADDER = (0.025, 0.02, 0.0125, 0.01, 0.005, 0.0025, 0.00125)


def _repeats(quick: bool, full: int) -> int:
    return max(3, full // 4) if quick else full


# ----------------------------------------------------------------------------- reference
def _hh_params() -> dict[str, float]:
    from neurolab.models import HodgkinHuxley

    return HodgkinHuxley().params()


def _rest() -> np.ndarray:
    from neurolab.models import HodgkinHuxley

    return HodgkinHuxley().rest(0.0)


def _hh_rhs_python(p: dict[str, float], I: float):
    """Hodgkin-Huxley (1952) in the modern convention, written out independently of
    neurolab's kernels (the same rate functions as NEURON's hh.mod), at 6.3 C."""
    C, gNa, gK, gL = p["C"], p["g_Na"], p["g_K"], p["g_L"]
    ENa, EK, EL = p["E_Na"], p["E_K"], p["E_L"]
    phi = p["q10"] ** ((p["temperature"] - 6.3) / 10.0)

    def vtrap(x: float, y: float) -> float:
        return y * (1.0 - x / y / 2.0) if abs(x / y) < 1e-6 else x / (math.exp(x / y) - 1.0)

    def f(t: float, y: np.ndarray) -> list[float]:
        V, m, h, n = y
        am = 0.1 * vtrap(-(V + 40.0), 10.0)
        bm = 4.0 * math.exp(-(V + 65.0) / 18.0)
        ah = 0.07 * math.exp(-(V + 65.0) / 20.0)
        bh = 1.0 / (math.exp(-(V + 35.0) / 10.0) + 1.0)
        an = 0.01 * vtrap(-(V + 55.0), 10.0)
        bn = 0.125 * math.exp(-(V + 65.0) / 80.0)
        dV = (I - gNa * m**3 * h * (V - ENa) - gK * n**4 * (V - EK) - gL * (V - EL)) / C
        return [dV, phi * (am * (1 - m) - bm * m), phi * (ah * (1 - h) - bh * h),
                phi * (an * (1 - n) - bn * n)]

    return f


@functools.lru_cache(maxsize=4)
def reference_spikes(I: float = I_W1, duration: float = DURATION) -> tuple[np.ndarray, float]:
    """Upward crossings of 0 mV from rest under a step to ``I`` uA/cm2 at t = 0, by
    scipy's DOP853 at rtol 1e-10, atol 1e-12 with event location; and the time it took.
    (A check run at rtol 1e-12 moves no spike by more than 1e-6 ms.)"""
    from scipy.integrate import solve_ivp

    def crossing(t, y):
        return y[0]

    crossing.direction = 1.0
    t0 = time.perf_counter()
    sol = solve_ivp(_hh_rhs_python(_hh_params(), I), (0.0, duration), _rest(),
                    method="DOP853", rtol=1e-10, atol=1e-12, events=crossing)
    return sol.t_events[0], time.perf_counter() - t0


def spike_error(spikes: np.ndarray, ref: np.ndarray) -> float:
    """Largest |difference| (ms) between matching spikes; inf if the counts differ."""
    spikes = np.asarray(spikes)
    if spikes.size != ref.size:
        return math.inf
    return float(np.max(np.abs(spikes - ref))) if ref.size else 0.0


def _crossings(t: np.ndarray, v: np.ndarray, level: float = 0.0) -> np.ndarray:
    """Upward crossings of ``level`` by linear interpolation of a sampled trace."""
    i = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))
    return t[i] + (level - v[i]) * (t[i + 1] - t[i]) / (v[i + 1] - v[i])


def _fi_rates(spike_lists: list[np.ndarray], duration: float) -> np.ndarray:
    """Inverse mean ISI over the second half of each run (the rule of fi_curve)."""
    rates = []
    for s in spike_lists:
        s = np.asarray(s)
        s = s[s >= duration / 2]
        rates.append(1000.0 * (s.size - 1) / (s[-1] - s[0]) if s.size >= 2 else 0.0)
    return np.array(rates)


# ----------------------------------------------------------------------------- NEURON
class _Brian2NumpyFix(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Brian2 2.9.0 (the newest release) reads ``np.ndarray.ptp``, which NumPy 2.4
    removed, in ``brian2.units.fundamentalunits``; brian-team/brian2#1705 (merged, not yet
    released) replaces it with ``np.ptp``. This loader applies that one-line change when
    the module is imported, so the benchmark can run Brian2 here."""

    NAME = "brian2.units.fundamentalunits"

    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201
        if name != self.NAME:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.origin is None:
            return None
        self.origin = spec.origin
        return importlib.util.spec_from_file_location(name, spec.origin, loader=self)

    def create_module(self, spec):  # noqa: ANN001, ANN201
        return None

    def exec_module(self, module) -> None:  # noqa: ANN001
        with open(self.origin) as f:
            src = f.read().replace("np.ndarray.ptp", "np.ptp")
        exec(compile(src, self.origin, "exec"), module.__dict__)


def _have(module: str) -> bool | str:
    """True if ``module`` imports; otherwise why not ("not installed" or the error)."""
    if module == "brian2" and not hasattr(np.ndarray, "ptp") and \
            not any(isinstance(f, _Brian2NumpyFix) for f in sys.meta_path):
        sys.meta_path.insert(0, _Brian2NumpyFix())
    try:
        importlib.import_module(module)
    except ImportError:
        return NOT_INSTALLED
    except Exception as exc:  # noqa: BLE001 - installed but unusable: say why
        return f"import fails: {type(exc).__name__}"
    return True


class _NeuronHH:
    """Single-compartment HH cells in NEURON (built-in ``hh``; accurate settings:
    ``secondorder = 2``, ``usetable_hh = 0``, 6.3 C), one IClamp per cell matching a
    current density, E_L set to neurolab's value."""

    def __init__(self, currents: np.ndarray, record_v: bool) -> None:
        from neuron import h

        h.load_file("stdrun.hoc")
        p = _hh_params()
        self.h = h
        self.cells = []
        for I in currents:
            s = h.Section(name="soma")
            s.nseg = 1
            s.L = s.diam = 10.0  # um: area 314.16 um2
            s.cm = p["C"]
            s.insert("hh")
            seg = s(0.5)
            seg.hh.gnabar = p["g_Na"] * 1e-3  # S/cm2
            seg.hh.gkbar = p["g_K"] * 1e-3
            seg.hh.gl = p["g_L"] * 1e-3
            seg.hh.el = p["E_L"]
            seg.ena = p["E_Na"]
            seg.ek = p["E_K"]
            area_cm2 = h.area(0.5, sec=s) * 1e-8
            stim = h.IClamp(seg)
            stim.delay = 0.0
            stim.dur = 1e9
            stim.amp = float(I) * area_cm2 * 1e3  # uA/cm2 * cm2 = uA -> nA
            spikes = h.Vector()
            nc = h.NetCon(seg._ref_v, None, sec=s)
            nc.threshold = 0.0
            nc.record(spikes)
            self.cells.append((s, stim, nc, spikes))
        self.v = self.t = None
        if record_v:
            self.v = h.Vector().record(self.cells[0][0](0.5)._ref_v)
            self.t = h.Vector().record(h._ref_t)
        h.celsius = p["temperature"]
        h.usetable_hh = 0
        h.secondorder = 2

    def run(self, dt: float, duration: float) -> None:
        h = self.h
        h.dt = dt
        h.steps_per_ms = 1.0 / dt
        h.tstop = duration
        pc = h.ParallelContext()
        pc.set_maxstep(10.0)
        h.finitialize(float(_rest()[0]))
        pc.psolve(duration)

    def spikes_from_v(self) -> np.ndarray:
        return _crossings(np.array(self.t), np.array(self.v))

    def netcon_spikes(self) -> list[np.ndarray]:
        return [np.array(c[3]) for c in self.cells]


def neuron_w1(quick: bool) -> dict[str, Any]:
    """NEURON at the largest ladder step reaching ACCURACY; its time and error."""
    ref, _ = reference_spikes()
    cell = _NeuronHH(np.array([I_W1]), record_v=True)
    errors = {}
    chosen = None
    for dt in DT_LADDER:
        cell.run(dt, DURATION)
        errors[dt] = spike_error(cell.spikes_from_v(), ref)
        if errors[dt] <= ACCURACY:
            chosen = dt
            break
    if chosen is None:
        return {"seconds": "no step reached 0.01 ms", "errors": errors}
    seconds = median_time(lambda: cell.run(chosen, DURATION), _repeats(quick, 9))
    netcon_err = spike_error(cell.netcon_spikes()[0], ref)
    usual = median_time(lambda: cell.run(0.025, DURATION), _repeats(quick, 9))
    return {"seconds": seconds, "dt": chosen, "error": errors[chosen], "errors": errors,
            "netcon_error": netcon_err, "seconds_dt_0.025": usual}


def neuron_w2(dt: float, quick: bool) -> dict[str, Any]:
    cells = _NeuronHH(FI_CURRENTS, record_v=False)
    seconds = median_time(lambda: cells.run(dt, DURATION), _repeats(quick, 3), warmup=1)
    rates = _fi_rates(cells.netcon_spikes(), DURATION)
    return {"seconds": seconds, "rates": rates}


# ----------------------------------------------------------------------------- Brian2
_BRIAN_EQS = """
dv/dt = (I - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL)) / C / ms : 1
dm/dt = (alpham*(1 - m) - betam*m) / ms : 1
dh/dt = (alphah*(1 - h) - betah*h) / ms : 1
dn/dt = (alphan*(1 - n) - betan*n) / ms : 1
alpham = 0.1*(v + 40)/(1 - exp(-(v + 40)/10)) : 1
betam = 4*exp(-(v + 65)/18) : 1
alphah = 0.07*exp(-(v + 65)/20) : 1
betah = 1/(1 + exp(-(v + 35)/10)) : 1
alphan = 0.01*(v + 55)/(1 - exp(-(v + 55)/10)) : 1
betan = 0.125*exp(-(v + 65)/80) : 1
I : 1 (constant)
"""


class _Brian2HH:
    """HH cells in Brian2 (cython target, rk4), the same equations and parameters
    (dimensionless v in mV and time in ms, so units stay out of the inner loop)."""

    _cache_dir: str | None = None

    def __init__(self) -> None:
        import brian2 as b2

        self.b2 = b2
        b2.prefs.codegen.target = "cython"
        b2.prefs.logging.console_log_level = "ERROR"
        if _Brian2HH._cache_dir is None:
            _Brian2HH._cache_dir = tempfile.mkdtemp(prefix="neurolab-bench-cython-")
        b2.prefs.codegen.runtime.cython.cache_dir = _Brian2HH._cache_dir
        b2.prefs.codegen.runtime.cython.multiprocess_safe = False

    def run(self, currents: np.ndarray, dt: float, record_v: bool) -> tuple[float, Any]:
        """Build a network, run it for DURATION; returns (run seconds, monitors)."""
        b2 = self.b2
        p = _hh_params()
        ns = dict(gNa=p["g_Na"], gK=p["g_K"], gL=p["g_L"], ENa=p["E_Na"], EK=p["E_K"],
                  EL=p["E_L"], C=p["C"], ms=b2.ms)
        b2.start_scope()
        b2.defaultclock.dt = dt * b2.ms
        g = b2.NeuronGroup(len(currents), _BRIAN_EQS, method="rk4", threshold="v > 0",
                           refractory="v > 0", namespace=ns)
        y0 = _rest()
        g.v, g.m, g.h, g.n = y0
        g.I = currents
        spikes = b2.SpikeMonitor(g)
        mons = [g, spikes]
        state = None
        if record_v:
            state = b2.StateMonitor(g, "v", record=0)
            mons.append(state)
        net = b2.Network(*mons)
        t0 = time.perf_counter()
        net.run(DURATION * b2.ms)
        self.last = net
        return time.perf_counter() - t0, (spikes, state)

    def rerun(self) -> float:
        """Time a further DURATION of the last network (no new code objects)."""
        t0 = time.perf_counter()
        self.last.run(DURATION * self.b2.ms)
        return time.perf_counter() - t0


def brian2_w1(quick: bool) -> dict[str, Any]:
    ref, _ = reference_spikes()
    br = _Brian2HH()
    first, _ = br.run(np.array([I_W1]), DT_LADDER[0], record_v=False)  # compiles
    errors = {}
    chosen = None
    for dt in DT_LADDER:
        _, (_, state) = br.run(np.array([I_W1]), dt, record_v=True)
        t = np.asarray(state.t / br.b2.ms)
        errors[dt] = spike_error(_crossings(t, np.asarray(state.v[0])), ref)
        if errors[dt] <= ACCURACY:
            chosen = dt
            break
    if chosen is None:
        return {"seconds": "no step reached 0.01 ms", "errors": errors, "first": first}
    times = [br.run(np.array([I_W1]), chosen, record_v=False)[0]
             for _ in range(_repeats(quick, 5))]
    again = float(np.median([br.rerun() for _ in range(3)]))
    return {"seconds": float(np.median(times)), "dt": chosen, "error": errors[chosen],
            "errors": errors, "first": first, "continue_seconds": again}


def brian2_w2(dt: float, quick: bool) -> dict[str, Any]:
    br = _Brian2HH()
    br.run(FI_CURRENTS, dt, record_v=False)
    times = []
    for _ in range(_repeats(quick, 3)):
        s, (spikes, _) = br.run(FI_CURRENTS, dt, record_v=False)
        times.append(s)
    trains = spikes.spike_trains()
    rates = _fi_rates([np.asarray(trains[i] / br.b2.ms) for i in range(len(FI_CURRENTS))],
                      DURATION)
    return {"seconds": float(np.median(times)), "rates": rates}


# ----------------------------------------------------------------------------- workloads
_OTHER: dict[str, dict[str, Any]] = {}


def _fmt_err(e: float) -> str:
    return "spike count differs" if math.isinf(e) else f"{e:.2g} ms"


def run_w1(quick: bool) -> Result:
    from neurolab.models import HodgkinHuxley
    from neurolab.simulate import simulate

    model = HodgkinHuxley()
    y0 = _rest()
    ref, ref_time = reference_spikes()
    tr = simulate(model, DURATION, current=I_W1, y0=y0)
    err = spike_error(tr.spike_times, ref)
    seconds = median_time(lambda: simulate(model, DURATION, current=I_W1, y0=y0),
                          _repeats(quick, 21), warmup=2)
    res = Result(seconds, accuracy=f"max spike error {_fmt_err(err)} ({ref.size} spikes; "
                 f"rk4, dt={tr.dt:g} ms)")
    res.extra.update(dt=tr.dt, method=tr.method, error_ms=err, n_spikes=int(ref.size),
                     reference_seconds=ref_time)
    res.notes.append(f"W1 reference: scipy DOP853 rtol 1e-10, {ref.size} spikes, "
                     f"{ref_time:.1f} s")
    for name, fn in (("neuron", neuron_w1), ("brian2", brian2_w1)):
        ok = _have(name)
        if ok is not True:
            setattr(res, name, ok)
            continue
        out = fn(quick)
        _OTHER[name] = out
        setattr(res, name, out["seconds"])
        res.extra[name] = {k: (v if not isinstance(v, dict) else {str(a): b for a, b in
                                                                    v.items()})
                           for k, v in out.items()}
        errs = ", ".join(f"dt={d:g}: {_fmt_err(e)}" for d, e in out["errors"].items())
        label = "NEURON (secondorder=2, usetable_hh=0)" if name == "neuron" else \
            "Brian2 (cython, rk4)"
        res.notes.append(f"W1 {label}: spike error by dt: {errs}")
        if name == "neuron" and "netcon_error" in out:
            res.notes.append(f"W1 NEURON: spike times from NetCon.record (no "
                             f"interpolation) err {_fmt_err(out['netcon_error'])}; the "
                             f"table uses crossings interpolated from the recorded v. At "
                             f"dt=0.025 ms NEURON takes {out['seconds_dt_0.025'] * 1e3:.0f}"
                             f" ms but misses spikes by {_fmt_err(out['errors'][0.025])}")
        if name == "brian2":
            res.notes.append(f"W1 Brian2: first run in a fresh process with an empty "
                             f"cython cache (code generation + compilation) "
                             f"{out['first']:.1f} s, not included in the table; each "
                             f"run of a new network (the table) regenerates code, while "
                             f"continuing the same network for 1000 ms takes "
                             f"{out['continue_seconds'] * 1e3:.0f} ms")
    return res


def run_w2(quick: bool) -> Result:
    from neurolab.models import HodgkinHuxley

    model = HodgkinHuxley()
    try:
        from neurolab.analysis import fi_curve

        def call() -> np.ndarray:
            return fi_curve(model, FI_CURRENTS, duration=DURATION)

        how = "neurolab.analysis.fi_curve"
        rates = call()
    except Exception as exc:  # noqa: BLE001 - fall back to the engine's batch path
        from neurolab.simulate import run_batch

        def call() -> np.ndarray:
            r = run_batch(model, DURATION, FI_CURRENTS, y0=_rest(), record=False)
            return _fi_rates(r["spikes"], DURATION)

        how = f"neurolab.simulate.run_batch(record=False) (fi_curve failed: {exc!r:.80})"
        rates = call()
    seconds = median_time(call, _repeats(quick, 7), warmup=1)
    res = Result(seconds, accuracy=f"default dt ({model.default_dt:g} ms, rk4)")
    res.notes.append(f"W2 neurolab: {how}, {os.cpu_count()} cores")
    res.extra["rates"] = rates.tolist()
    for name, fn in (("neuron", neuron_w2), ("brian2", brian2_w2)):
        ok = _have(name)
        if ok is not True:
            setattr(res, name, ok)
            continue
        dt = _OTHER.get(name, {}).get("dt")
        if not isinstance(dt, float):
            setattr(res, name, "no accurate dt (W1)")
            continue
        out = fn(dt, quick)
        setattr(res, name, out["seconds"])
        diff = float(np.max(np.abs(out["rates"] - rates)))
        res.notes.append(f"W2 {name}: dt={dt:g} ms (from W1), largest F-I rate "
                         f"difference from neurolab {diff:.3g} Hz")
        res.extra[name] = {"seconds": out["seconds"], "dt": dt,
                           "rates": out["rates"].tolist()}
    return res


def run_w3(quick: bool) -> Result:
    from neurolab.models.izhikevich_network import IzhikevichNetwork, simulate_network

    net = IzhikevichNetwork()
    out = simulate_network(net, DURATION)
    times = []

    def once() -> None:
        t0 = time.perf_counter()
        simulate_network(net, DURATION)
        times.append(time.perf_counter() - t0)

    seconds = median_time(once, _repeats(quick, 21), warmup=2)
    res = Result(seconds, neuron=None, brian2="not written",
                 accuracy=f"published scheme (1 ms steps); {out.spike_times.size} spikes, "
                 f"exc {out.mean_rate('exc'):.1f} Hz")
    res.notes.append(f"W3: fastest of the repeats {min(times) * 1e3:.1f} ms (the median is "
                     f"sensitive to other processes on a shared machine)")
    res.extra["min_seconds"] = min(times)
    return res


_COLD = ("import time; t0 = time.perf_counter(); import neurolab; "
         "from neurolab.models import HodgkinHuxley; from neurolab.simulate import simulate; "
         "simulate(HodgkinHuxley(), 1000.0, current=10.0); "
         "print(time.perf_counter() - t0)")


def _cold_once(env: dict[str, str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _COLD], env=env, check=True,
                         capture_output=True, text=True)
    wall = time.perf_counter() - t0
    return float(out.stdout.strip().splitlines()[-1]), wall


def run_cold(quick: bool) -> Result:
    env = dict(os.environ)
    _cold_once(env)  # makes sure numba's cache exists
    runs = [_cold_once(env) for _ in range(2 if quick else 5)]
    inside = float(np.median([r[0] for r in runs]))
    wall = float(np.median([r[1] for r in runs]))
    with tempfile.TemporaryDirectory(prefix="neurolab-bench-numba-") as empty:
        env_empty = dict(env, NUMBA_CACHE_DIR=empty, NEUROLAB_CACHE_DIR=empty)
        no_cache_inside, no_cache_wall = _cold_once(env_empty)
    res = Result(inside, accuracy="")
    res.notes.append(f"cold start: import neurolab + first HH 1000 ms run, inside a fresh "
                     f"process: {inside:.2f} s with numba's cache ({wall:.2f} s for the "
                     f"whole `python -c`); with an empty NUMBA_CACHE_DIR {no_cache_inside:.1f}"
                     f" s ({no_cache_wall:.1f} s whole)")
    res.extra.update(with_cache=inside, with_cache_wall=wall, no_cache=no_cache_inside,
                     no_cache_wall=no_cache_wall)
    return res


WORKLOADS = [
    Workload("W1", "one HH neuron, 10 uA/cm2, 1000 ms, spike times to 0.01 ms",
             ">= 30x faster than NEURON", run_w1, ratio_at_least(30.0)),
    Workload("W2", "HH F-I curve: 100 currents 0-20 uA/cm2 x 1000 ms",
             ">= 3x faster than NEURON", run_w2, ratio_at_least(3.0)),
    Workload("W3", "Izhikevich (2003) network, 1000 neurons x 1000 ms",
             "< 10 ms", run_w3, under(0.010)),
    Workload("cold", "fresh process: import neurolab + first HH 1000 ms run (cached)",
             "<= 1.5 s", run_cold, under(1.5)),
]
