"""The integration engine: accuracy, convergence order, batches, spikes, resets, stimuli.

Independent references: scipy's adaptive DOP853 (Hairer, Norsett & Wanner) at tight
tolerances on a separately written Hodgkin-Huxley right-hand side, and closed-form
solutions of the leaky integrate-and-fire neuron.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurolab import stimulus as S
from neurolab.models import LIF, FitzHughNagumo, HodgkinHuxley, Izhikevich
from neurolab.simulate import SimulationDiverged, run_batch, simulate, simulate_batch


def _hh_reference_rhs(I):
    """Hodgkin & Huxley (1952) in the modern convention, written out independently of
    the package (scalar math, 6.3 C)."""

    def f(t, y):
        V, m, h, n = y
        am = 0.1 * (V + 40) / (1 - math.exp(-(V + 40) / 10))
        bm = 4 * math.exp(-(V + 65) / 18)
        ah = 0.07 * math.exp(-(V + 65) / 20)
        bh = 1 / (1 + math.exp(-(V + 35) / 10))
        an = 0.01 * (V + 55) / (1 - math.exp(-(V + 55) / 10))
        bn = 0.125 * math.exp(-(V + 65) / 80)
        dV = I - 120 * m**3 * h * (V - 50) - 36 * n**4 * (V + 77) - 0.3 * (V + 54.387)
        return [dV, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]

    return f


def _hh_reference(I, duration, y0, t_eval=None):
    up = lambda t, y: y[0]  # noqa: E731 - event: V crosses 0 mV upwards
    up.direction = 1
    return solve_ivp(_hh_reference_rhs(I), (0.0, duration), y0, method="DOP853",
                     rtol=1e-10, atol=1e-10, events=up, t_eval=t_eval)


@pytest.fixture(scope="module")
def hh_reference_1s():
    """Spike times of HH at 10 uA/cm2 for 1000 ms from the rest at 0, by DOP853."""
    y0 = HodgkinHuxley().rest(0.0)
    sol = _hh_reference(10.0, 1000.0, y0)
    return y0, sol.t_events[0]


# ------------------------------------------------------------------ accuracy rule
@pytest.mark.slow
def test_default_method_meets_accuracy_rule(hh_reference_1s):
    """The course's accuracy rule: with the default method and dt, HH at 10 uA/cm2 for
    1000 ms gives every spike time within 0.01 ms of a converged reference (DOP853,
    rtol = atol = 1e-10, event at V = 0 mV upwards)."""
    y0, ref = hh_reference_1s
    tr = simulate(HodgkinHuxley(), 1000.0, current=10.0, y0=y0)
    assert tr.spike_times.size == ref.size > 50
    err = np.abs(tr.spike_times - ref).max()
    assert err < 0.01, err


@pytest.mark.slow
def test_spike_times_are_interpolated(hh_reference_1s):
    """Spike times fall between grid points: at HH's largest step, 0.08 ms, the error
    stays below dt / 10 (so not snapped to the grid), and it shrinks as dt does
    (compared with the DOP853 reference)."""
    y0, ref = hh_reference_1s
    errs = []
    for dt in (0.08, 0.04, 0.02):
        s = simulate(HodgkinHuxley(), 1000.0, current=10.0, y0=y0, dt=dt).spike_times
        assert s.size == ref.size
        errs.append(np.abs(s - ref).max())
        assert not np.allclose(s / dt, np.round(s / dt))
    assert errs[0] < 0.1 * 0.08
    assert errs[0] > errs[1] > errs[2]


# ------------------------------------------------------------------ convergence order
def _order(model, y0, I, T, dts, method, reference):
    errs = []
    for dt in dts:
        tr = simulate(model, T, dt=dt, current=I, y0=y0, method=method)
        errs.append(np.abs(tr.y[:, -1] - reference).max())
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    return slope, errs


_ORDERS = {"euler": (1, (0.01, 0.005, 0.0025, 0.00125)),
           "rk2": (2, (0.04, 0.02, 0.01, 0.005)),
           "rk4": (4, (0.08, 0.05, 0.04, 0.025)),
           "izhikevich": (1, (0.01, 0.005, 0.0025, 0.00125))}


@pytest.mark.parametrize("method", list(_ORDERS))
def test_convergence_order_hh(method):
    """Global error at t = 20 ms (through a full action potential, I = 10 uA/cm2)
    against DOP853 at rtol = atol = 1e-12 falls as dt^p: p = 1 (Euler, and the
    semi-implicit published scheme), 2 (RK2), 4 (RK4), fitted slope within 0.25."""
    p, dts = _ORDERS[method]
    y0 = HodgkinHuxley().rest(0.0)
    ref = solve_ivp(_hh_reference_rhs(10.0), (0.0, 20.0), y0, method="DOP853",
                    rtol=1e-12, atol=1e-12).y[:, -1]
    slope, errs = _order(HodgkinHuxley(), y0, 10.0, 20.0, dts, method, ref)
    assert abs(slope - p) < 0.25, (slope, errs)


@pytest.mark.parametrize("method", list(_ORDERS))
def test_convergence_order_fhn(method):
    """Same on FitzHugh-Nagumo over 20 time units at I = 0.5 (on its limit cycle),
    reference DOP853 at rtol = atol = 1e-12."""
    p, dts = _ORDERS[method]
    model = FitzHughNagumo()
    y0 = np.array([-1.0, 0.5])
    ref = solve_ivp(lambda t, y: model.rhs(y, 0.5), (0.0, 20.0), y0, method="DOP853",
                    rtol=1e-12, atol=1e-12).y[:, -1]
    scale = 10.0 if method == "rk4" else 1.0
    slope, errs = _order(model, y0, 0.5, 20.0, tuple(scale * d for d in dts), method, ref)
    assert abs(slope - p) < 0.25, (slope, errs)


# ------------------------------------------------------------------ batches
def _same(a, b):
    assert a.t.shape == b.t.shape
    for name in a.model.state_names:
        np.testing.assert_allclose(a.states[name], b.states[name], rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.spike_times, b.spike_times, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.current, b.current, rtol=0, atol=1e-12)


def test_batch_of_currents_equals_single_runs():
    """simulate_batch over constant currents and stimuli equals simulate run by run."""
    hh = HodgkinHuxley()
    currents = [0.0, 5.0, 10.0, S.step(20.0, start=10.0), S.sine(3.0, 50.0, offset=6.0)]
    batch = simulate_batch(hh, 100.0, currents=currents)
    for c, tr in zip(currents, batch, strict=True):
        _same(tr, simulate(hh, 100.0, current=c))


def test_batch_of_models_equals_single_runs():
    """A parameter sweep (one model per run) equals single runs, with one y0 per run."""
    models = [Izhikevich.preset(k) for k in ("RS", "IB", "CH", "FS")]
    y0 = np.array([[-70.0, -14.0], [-65.0, -13.0], [-60.0, -12.0], [-70.0, -14.0]])
    batch = simulate_batch(models, 200.0, currents=10.0, y0=y0, method="rk4")
    for m, y, tr in zip(models, y0, batch, strict=True):
        _same(tr, simulate(m, 200.0, current=10.0, y0=y))


def test_batch_of_hybrid_models_and_light_path():
    """LIF sweep over t_ref in a batch equals single runs; run_batch without recording
    returns the same spike times."""
    models = [LIF(t_ref=r) for r in (0.0, 2.0)]
    with pytest.raises(ValueError, match="refractory"):
        simulate_batch(models, 100.0, currents=2.0)
    models = [LIF(tau_m=t) for t in (5.0, 10.0, 20.0)]
    batch = simulate_batch(models, 300.0, currents=[2.0, 3.0, 4.0])
    light = run_batch(models, 300.0, [2.0, 3.0, 4.0], record=False)
    for m, I, tr, sp in zip(models, (2.0, 3.0, 4.0), batch, light["spikes"], strict=True):
        _same(tr, simulate(m, 300.0, current=I))
        np.testing.assert_array_equal(sp, tr.spike_times)
    assert light["states"] is None


def test_batch_current_array_rows():
    """A 2-D current array gives one run per row, equal to single runs with that row."""
    hh = HodgkinHuxley()
    t = np.arange(0, 50.0 + 1e-9, hh.default_dt)
    rows = np.array([5 * np.sin(t / 5), 10 + 0 * t])
    batch = simulate_batch(hh, 50.0, currents=rows)
    for row, tr in zip(rows, batch, strict=True):
        _same(tr, simulate(hh, 50.0, current=row))


# ------------------------------------------------------------------ hybrid resets
@pytest.mark.parametrize("dt", [0.1, 0.05, 0.01])
def test_lif_first_passage_times(dt):
    """LIF spike times against the analytic first-passage time: from V0 = E_L the first
    spike is at tau ln((RI + E_L - V0)/(RI + E_L - V_th)) and each later one a period
    t_ref + tau ln((RI + E_L - V_reset)/(RI + E_L - V_th)) after (Gerstner et al. 2014,
    sect. 1.3), to 1e-6 ms (the crossing is found on the cubic Hermite interpolant)."""
    model = LIF(V_reset=-70.0, t_ref=3.0)
    I = 2.5
    drive = model.R * I + model.E_L
    first = model.tau_m * math.log((drive - model.E_L) / (drive - model.V_th))
    period = model.t_ref + model.tau_m * math.log((drive - model.V_reset)
                                                  / (drive - model.V_th))
    tr = simulate(model, 200.0, dt=dt, current=I, y0=[model.E_L])
    expected = first + period * np.arange(tr.spike_times.size)
    assert tr.spike_times.size == int((200.0 - first) // period) + 1
    np.testing.assert_allclose(tr.spike_times, expected, rtol=0, atol=1e-6)


def test_refractory_period_is_respected():
    """During t_ref after each spike V sits at V_reset on every grid point, and then it
    rises again (LIF definition, Gerstner et al. 2014)."""
    model = LIF(t_ref=4.0)
    tr = simulate(model, 100.0, dt=0.05, current=3.0)
    assert tr.spike_times.size >= 3
    for ts in tr.spike_times:
        held = (tr.t > ts + 1e-9) & (tr.t <= ts + model.t_ref - 1e-9)
        assert held.any()
        np.testing.assert_array_equal(tr.V[held], model.V_reset)
        after = np.flatnonzero(tr.t > ts + model.t_ref + 0.1)
        if after.size:
            assert tr.V[after[0]] > model.V_reset
    assert np.all(np.diff(tr.spike_times) > model.t_ref)


def test_izhikevich_reset_rule():
    """At each spike v is set to c and u jumps by d (Izhikevich 2003): u right after a
    spike exceeds u right before it by d, up to the change over one step."""
    model = Izhikevich.preset("RS")
    tr = simulate(model, 200.0, dt=0.01, current=10.0, y0=[-70.0, -14.0])
    assert tr.spike_times.size >= 3
    for ts in tr.spike_times:
        k = int(np.searchsorted(tr.t, ts))
        assert tr.v[k] < model.c + 1.0
        assert tr.u[k] - tr.u[k - 1] == pytest.approx(model.d, abs=0.05)


# ------------------------------------------------------------------ stimuli in the engine
_STIMULI = [
    S.constant(3.0), S.step(5.0, start=10.0, stop=30.0, baseline=1.0),
    S.ramp(0.2, start=5.0, stop=40.0), S.pulses([5.0, 20.0], amplitude=[4.0, 6.0], width=2.0),
    S.pulse_train(5.0, 1.0, 10.0, start=2.0, n=4), S.sine(2.0, 40.0, offset=3.0),
    S.chirp(2.0, 10.0, 100.0, 0.0, 50.0), S.noise(1.0, mean=2.0, tau=2.0, seed=3),
    S.noise(1.0, seed=4), 2 * S.step(3.0, start=5.0) + S.sine(1.0, 20.0) - 1.0,
]


@pytest.mark.parametrize("stim", _STIMULI, ids=lambda s: type(s).__name__)
def test_stimulus_sampled_on_grid(stim):
    """Trace.current is the stimulus evaluated at the grid times; a callable of t gives
    the same run; with Euler (which uses the current at the start of each step only) an
    array of the grid samples gives the same run too."""
    hh = HodgkinHuxley()
    tr = simulate(hh, 50.0, current=stim)
    np.testing.assert_array_equal(tr.current, stim(tr.t))
    _same(simulate(hh, 50.0, current=lambda t: stim(t)), tr)
    e1 = simulate(hh, 50.0, dt=0.01, current=stim, method="euler")
    e2 = simulate(hh, 50.0, dt=0.01, current=stim(e1.t), method="euler")
    _same(e1, e2)


def test_scalar_callable_current():
    """A callable that only accepts scalars is sampled point by point."""
    hh = HodgkinHuxley()
    tr = simulate(hh, 20.0, current=lambda t: 10.0 if t >= 5.0 else 0.0)
    np.testing.assert_array_equal(tr.current, np.where(tr.t >= 5.0, 10.0, 0.0))


def test_current_array_on_grid():
    """An array with one value per grid point drives the run and is stored as given."""
    hh = HodgkinHuxley()
    t = np.arange(0, 30.0 + 1e-9, 0.05)
    I = np.where(t > 5, 15.0, 0.0)
    tr = simulate(hh, 30.0, current=I)
    np.testing.assert_array_equal(tr.current, I)
    assert tr.spike_times.size >= 1


# ------------------------------------------------------------------ divergence
def test_divergence_raises_with_time():
    """Forward Euler on the cubic v' = v - v^3/3 is unstable for dt * v^2 > 2: at
    dt = 1 (the model's max_dt) from v = 5 the iterates blow up within a few steps, and
    the engine raises SimulationDiverged naming the time instead of returning NaN."""
    model = FitzHughNagumo()
    with pytest.raises(SimulationDiverged, match=r"t = \d") as err:
        simulate(model, 50.0, dt=1.0, y0=[5.0, 0.0], method="euler")
    assert 0.0 < err.value.time < 10.0
    with pytest.raises(SimulationDiverged) as err:
        simulate_batch(model, 50.0, currents=[0.0, 0.0], dt=1.0,
                       y0=[[0.0, 0.0], [5.0, 0.0]], method="euler")
    assert err.value.run == 1
    # The same start is harmless with RK4 at a small step.
    assert np.all(np.isfinite(simulate(model, 50.0, dt=0.05, y0=[5.0, 0.0]).v))


def test_trace_interface():
    """Trace attribute access, duration, y, rate() and the default initial state."""
    tr = simulate(LIF(), 1000.0, current=2.0)
    assert tr.V is tr.states["V"] and tr.duration == pytest.approx(1000.0)
    assert tr.y.shape == (1, tr.t.size) and tr.t[1] == pytest.approx(tr.dt)
    assert tr.y0[0] == LIF().E_L
    assert tr.rate() == pytest.approx(float(LIF().rate(2.0)), rel=0.02)
    with pytest.raises(AttributeError):
        tr.nonexistent  # noqa: B018
    with pytest.raises(ValueError, match="stop"):
        tr.rate(10.0, 5.0)
