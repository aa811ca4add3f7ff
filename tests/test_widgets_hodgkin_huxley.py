"""Tests of the Hodgkin-Huxley gating app (neurolab.widgets.hodgkin_huxley)."""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.models import HodgkinHuxley
from neurolab.models.hodgkin_huxley import gating_steady_state
from neurolab.widgets.hodgkin_huxley import V_AXIS, hh_gating


@pytest.fixture(scope="module")
def app():
    return hh_gating(V_clamp=0.0, V_hold=-65.0, temperature=6.3)


def test_renders_png_and_no_error(app):
    assert app.error == ""
    assert app.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"


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
    assert np.ptp(app.trace.V) < 0.01            # the clamp holds the voltage


def test_currents_follow_hh_formulas(app):
    """I_Na = g_Na m^3 h (V - E_Na) and I_K = g_K n^4 (V - E_K) (Hodgkin & Huxley 1952,
    eqs. 6 and 14 in the modern convention), evaluated on the run's states."""
    app.V_clamp.value = 10.0
    app._redraw_and_refresh()
    tr, m = app.trace, HodgkinHuxley()
    ina = m.g_Na * tr.m ** 3 * tr.h * (tr.V - m.E_Na)
    ik = m.g_K * tr.n ** 4 * (tr.V - m.E_K)
    np.testing.assert_allclose(app.na_line.get_ydata(), ina, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(app.k_line.get_ydata(), ik, rtol=1e-9, atol=1e-9)
    assert ina.min() < 0 < ik[-1]                 # inward sodium, outward potassium
    lo, hi = app.ax_cur.get_ylim()
    assert lo <= min(ina.min(), ik.min()) and hi >= max(ina.max(), ik.max())


def test_temperature_scales_time_constants_by_q10(app):
    """tau_x(T) = tau_x(6.3 C) / 3^((T - 6.3)/10) (Q10 = 3, Hodgkin, Huxley & Katz
    1952)."""
    app.temperature.value = 16.3
    app._redraw_and_refresh()
    base = gating_steady_state(V_AXIS)
    for g, line in app.tau_lines.items():
        np.testing.assert_allclose(line.get_ydata(), base[g][1] / 3.0, rtol=1e-12)
    app.temperature.value = 6.3
    app._redraw_and_refresh()


def test_first_slider_changes_image(app):
    before = app.view.image.value
    app.V_clamp.value = app.V_clamp.value + app.V_clamp.step
    app._redraw_and_refresh()
    assert app.view.image.value != before


def test_bad_temperature_shows_error_then_recovers(app):
    app.temperature.max = 100.0
    app.temperature.value = 80.0                  # outside the model's valid range
    assert "temperature" in app.error
    app.temperature.value = 10.0
    assert app.error == ""
    app.temperature.max = 30.0
