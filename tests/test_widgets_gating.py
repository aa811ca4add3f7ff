"""Tests of the gating app (neurolab.widgets.gating), on the Hodgkin-Huxley model.

The app reads the gates from the model's helpers and its Jacobian and clamps the
voltage by reducing the model; the references here are the model module's own
``gating_steady_state`` (the rate functions of Hodgkin & Huxley 1952) and the current
formulas written out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.models import HodgkinHuxley, define_model
from neurolab.models.hodgkin_huxley import gating_steady_state
from neurolab.widgets.gating import hh_gating


@pytest.fixture(scope="module")
def app():
    return hh_gating(HodgkinHuxley(), V_clamp=0.0, V_hold=-65.0, parameter="temperature",
                     currents=("I_Na", "I_K"))


def test_renders_png_and_no_error(app):
    assert app.error == ""
    assert app.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.gates == ("m", "h", "n")
    assert app.controls[0] is app.V_clamp


def test_steady_states_are_the_model_gates(app):
    """x_inf(V) drawn over the model's voltage window is alpha / (alpha + beta)."""
    ss = gating_steady_state(app.V)
    np.testing.assert_allclose(app.V[[0, -1]], [-100.0, 50.0])
    for g, line in app.inf_lines.items():
        np.testing.assert_allclose(line.get_ydata(), ss[g][0], rtol=1e-12)


def test_clamp_gates_relax_exponentially(app):
    """Under an ideal voltage clamp each gate obeys x' = (x_inf - x)/tau, so
    x(t) = x_inf(Vc) + (x(0) - x_inf(Vc)) exp(-t/tau(Vc)) (Hodgkin & Huxley 1952, eq. 7
    and the solution they fitted to their clamp records). The app's simulated gates must
    match this closed form."""
    app.V_clamp.value = -20.0
    app.V_hold.value = -70.0
    app._redraw_and_refresh()
    t = app.trace.t
    hold, clamp = gating_steady_state(-70.0), gating_steady_state(-20.0)
    for g, line in app.gate_lines.items():
        x_inf, tau = float(clamp[g][0]), float(clamp[g][1])
        expected = x_inf + (float(hold[g][0]) - x_inf) * np.exp(-t / tau)
        np.testing.assert_allclose(line.get_ydata(), expected, atol=2e-4)
    assert np.all(app.states["V"] == -20.0)      # the clamp holds the voltage exactly


def test_currents_follow_hh_formulas(app):
    """I_Na = g_Na m^3 h (V - E_Na) and I_K = g_K n^4 (V - E_K) (Hodgkin & Huxley 1952,
    eqs. 6 and 14 in the modern convention), evaluated on the run's states."""
    app.V_clamp.value = 10.0
    app._redraw_and_refresh()
    s, m = app.states, HodgkinHuxley()
    ina = m.g_Na * s["m"] ** 3 * s["h"] * (s["V"] - m.E_Na)
    ik = m.g_K * s["n"] ** 4 * (s["V"] - m.E_K)
    np.testing.assert_allclose(app.current_lines["I_Na"].get_ydata(), ina, rtol=1e-9,
                               atol=1e-9)
    np.testing.assert_allclose(app.current_lines["I_K"].get_ydata(), ik, rtol=1e-9,
                               atol=1e-9)
    assert ina.min() < 0 < ik[-1]                 # inward sodium, outward potassium
    lo, hi = app.ax_cur.get_ylim()
    assert lo <= min(ina.min(), ik.min()) and hi >= max(ina.max(), ik.max())


def test_temperature_scales_time_constants_by_q10(app):
    """tau_x(T) = tau_x(6.3 C) / 3^((T - 6.3)/10) (Q10 = 3, Hodgkin, Huxley & Katz
    1952)."""
    app.params["temperature"].value = 16.3
    app._redraw_and_refresh()
    base = gating_steady_state(app.V)
    for g, line in app.tau_lines.items():
        np.testing.assert_allclose(line.get_ydata(), base[g][1] / 3.0, rtol=1e-12)
    app.params["temperature"].value = 6.3
    app._redraw_and_refresh()
    for g, line in app.tau_lines.items():
        np.testing.assert_allclose(line.get_ydata(), base[g][1], rtol=1e-12)


def test_first_slider_changes_image(app):
    before = app.view.image.value
    app.V_clamp.value = app.V_clamp.value + app.V_clamp.step
    app._redraw_and_refresh()
    assert app.view.image.value != before


def test_bad_temperature_shows_error_then_recovers(app):
    t = app.params["temperature"]
    t.max = 100.0
    t.value = 80.0                                # outside the model's valid range
    assert "temperature" in app.error
    t.value = 10.0
    assert app.error == ""
    t.max = 30.0


def test_default_currents_and_holding_potential():
    """Without a choice every I_... helper is drawn, and the clamp holds at the resting
    potential (HH: -65 mV)."""
    a = hh_gating(HodgkinHuxley())
    assert list(a.current_lines) == ["I_Na", "I_K", "I_L"]
    assert a.V_hold.value == -65.0 and a.params == {}


def test_bad_arguments_name_themselves():
    hh = HodgkinHuxley()
    with pytest.raises(ValueError, match="parameter must be a parameter of"):
        hh_gating(hh, parameter="nope")
    with pytest.raises(ValueError, match="currents must name helpers"):
        hh_gating(hh, currents=("I_Ca",))
    with pytest.raises(ValueError, match="model must be a neurolab model"):
        hh_gating("Hodgkin-Huxley")
    no_gates = define_model("GatelessTwoState", "dV/dt = -V + w\ndw/dt = -w", {"k": 1.0},
                            register_model=False)
    with pytest.raises(ValueError, match="w_inf"):
        hh_gating(no_gates())
