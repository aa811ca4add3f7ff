"""Tests of the Izhikevich pattern picker (neurolab.widgets.izhikevich).

The app must replay each protocol exactly as neurolab runs it (the published stimulus,
initial state, method and time step of Izhikevich 2004, Fig. 1, from
``FIRING_PATTERNS``; a step of I = 10 for the cell types of Izhikevich 2003), and its
phase plane must agree with the model's closed forms (Izhikevich 2003: v-nullcline
u = 0.04 v^2 + 5 v + 140 + I, u-nullcline u = b v; equilibria where they cross).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import fixed_points
from neurolab.models import FIRING_PATTERNS, Izhikevich
from neurolab.simulate import simulate
from neurolab.widgets.izhikevich import CORTICAL_STEP, PROTOCOLS, izhikevich_patterns

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def app():
    return izhikevich_patterns("tonic spiking")


def test_every_protocol_listed():
    assert set(FIRING_PATTERNS) <= set(PROTOCOLS)
    assert {"RS", "IB", "CH", "FS", "LTS", "TC", "RZ"} <= set(PROTOCOLS)
    assert len(PROTOCOLS) == 27
    assert float(PROTOCOLS["RS"].stimulus(50.0)) == CORTICAL_STEP


def test_first_slider_is_a_and_changes_image(app):
    assert app.controls[0] is app.params["a"] and app.error == ""
    before = app.view.image.value
    app.params["a"].value = app.params["a"].value + app.params["a"].step
    assert app.view.image.value[:8] == PNG and app.view.image.value != before
    app.params["a"].value = 0.02


@pytest.mark.parametrize("name", ["tonic bursting", "rebound burst", "accommodation", "FS"])
def test_replays_protocol(app, name):
    """Picking a protocol sets a, b, c, d to the published values and the trace is the
    one simulate() gives with that protocol's stimulus, y0, method and dt."""
    app.pattern.value = name
    p = PROTOCOLS[name]
    for key, s in app.params.items():
        assert s.value == pytest.approx(getattr(p.model, key))
    assert app.model == p.model
    direct = simulate(p.model, p.duration, dt=p.dt, current=p.stimulus, y0=p.y0,
                      method=p.method)
    assert app.trace.method == p.method
    np.testing.assert_allclose(app.h_trace["line"].get_ydata(), direct.v)
    np.testing.assert_allclose(app.trace.spike_times, direct.spike_times)
    assert app.ax_v.get_xlim() == (0.0, p.duration)
    assert app.error == ""


def test_phase_plane_closed_forms(app):
    """Nullclines and equilibria at the current of the chosen moment agree with the
    closed forms of the 2003 model; kinds as fixed_points classifies them."""
    app.pattern.value = "RS"
    app.moment.value = 5.0          # before the step: I = 0, the cell rests
    m = app.model
    assert app.h_pp.I == 0.0
    for seg in app.h_pp["x_nullcline"].get_segments():
        v, u = seg[:, 0], seg[:, 1]
        np.testing.assert_allclose(u, 0.04 * v**2 + 5 * v + 140 + 0.0, atol=1e-9)
    for seg in app.h_pp["y_nullcline"].get_segments():
        np.testing.assert_allclose(seg[:, 1], m.b * seg[:, 0], atol=1e-9)
    # equilibria: roots of 0.04 v^2 + (5 - b) v + 140 = 0
    roots = np.sort(np.roots([0.04, 5 - m.b, 140.0]).real)
    np.testing.assert_allclose([fp.state[0] for fp in app.h_pp.points], roots, rtol=1e-9)
    expected = fixed_points(m, 0.0, (-90.0, 35.0), app.h_pp.ylim)
    assert [fp.kind for fp in app.h_pp.points] == [fp.kind for fp in expected]
    assert app.h_pp.points[0].kind.startswith("stable")
    # during the step (I = 10 > saddle-node current 4) there is no equilibrium
    assert m.saddle_node_current() == pytest.approx((5 - 0.2) ** 2 / 0.16 - 140)
    app.moment.value = 100.0
    assert app.h_pp.I == CORTICAL_STEP and app.h_pp.points == []
    k = int(np.searchsorted(app.trace.t, 100.0))
    assert list(app.here.get_xdata()) == [app.trace.v[k]]


def test_parameter_sliders_change_model(app):
    """Moving d changes the model the app runs, and the run follows it."""
    app.pattern.value = "tonic spiking"
    app.params["d"].value = 2.0
    assert app.model == FIRING_PATTERNS["tonic spiking"].model.replace(d=2.0)
    p = PROTOCOLS["tonic spiking"]
    direct = simulate(app.model, p.duration, dt=p.dt, current=p.stimulus, y0=p.y0)
    np.testing.assert_allclose(app.trace.v, direct.v)


def test_error_then_recovers(app):
    """A reset c above the spike cut-off is refused with a message; the app recovers."""
    c = app.params["c"]
    c.max = 40.0
    c.value = 35.0
    assert "c" in app.error and "v_peak" in app.error
    c.value = -65.0
    c.max = -40.0
    assert app.error == ""
    assert isinstance(app.model, Izhikevich)


def test_bad_pattern_name():
    with pytest.raises(ValueError, match="pattern must be one of"):
        izhikevich_patterns("no such pattern")
