"""Tests of the bifurcation apps (neurolab.widgets.bifurcation_primer).

The references are the closed forms of the normal forms (also returned by
:func:`neurolab.analysis.normal_form_diagram`) and, for the real models,
:func:`neurolab.analysis.bifurcation_diagram` and :func:`neurolab.simulate.simulate`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolab.analysis import hysteresis_sweep, normal_form_trajectory
from neurolab.models import HodgkinHuxley, INaPK
from neurolab.simulate import simulate
from neurolab.widgets.bifurcation_primer import (
    ModelSetting,
    bifurcation_explorer,
    normal_form_explorer,
)

PNG = b"\x89PNG"
#: The menu of notebook 05.
MODEL_SETTINGS = {
    "I_Na,p+I_K high-threshold (SNIC)": ModelSetting(INaPK(), "", (0.0, 10.0), 3.0, 0.05,
                                                     60.0, (-80.0, 20.0)),
    "I_Na,p+I_K low-threshold (Hopf)": ModelSetting(INaPK.preset("low-threshold"), "",
                                                    (5.0, 30.0), 12.0, 0.1, 60.0,
                                                    (-80.0, 20.0)),
    "Hodgkin-Huxley": ModelSetting(HodgkinHuxley(), "", (0.0, 200.0), 5.0, 0.1, 100.0,
                                   (-90.0, 60.0)),
}


def test_first_slider_moves_the_saddle_node_phase_line():
    """x' = I + x^2: the drawn curve is I + x^2 and the equilibria are -+sqrt(-I) (the
    lower stable); one step of I changes both and the image."""
    app = normal_form_explorer("saddle-node", -0.25)
    assert app.controls[0] is app.I
    png = app.view.image.value
    app.I.value = -0.16
    x, f = app.curve.get_data()
    np.testing.assert_allclose(f, -0.16 + np.asarray(x) ** 2)
    pts = np.asarray(app.eq.get_offsets())
    np.testing.assert_allclose(sorted(pts[:, 0]), [-0.4, 0.4], atol=1e-12)
    faces = app.eq.get_facecolors()
    assert faces[0][0] != faces[1][0] or faces[0][2] != faces[1][2]  # filled vs open
    assert app.view.image.value[:4] == PNG and app.view.image.value != png
    # the diagram is neurolab.plots.plot_normal_form's; its marker follows the slider
    assert app.diagram_handle.diagram is app.diagram
    assert list(app.marker.get_xdata()) == [-0.16, -0.16]
    np.testing.assert_allclose(sorted(np.asarray(app.here.get_offsets())[:, 1]),
                               [-0.4, 0.4], atol=1e-12)
    # the x(t) paths are neurolab.analysis.normal_form_trajectory runs (escapes cut off)
    t, y = normal_form_trajectory("saddle-node", [-1.5], -0.16, 20.0, n=120, escape=1.9)
    np.testing.assert_allclose(app.paths.get_segments()[0], np.column_stack([t, y[0]]))
    app.I.value = 0.3
    assert len(app.eq.get_offsets()) == 0 and "no equilibrium" in app.info.value


def test_snic_period_grows_without_bound():
    """Theta neuron (Ermentrout and Kopell 1986): T = pi / sqrt(I) for I > 0; the marker
    and the text show it, and it grows past any bound as I -> 0+."""
    app = normal_form_explorer("saddle-node on invariant circle", 0.25)
    (I, T), = np.asarray(app.period_dot.get_offsets())
    assert I == pytest.approx(0.25) and T == pytest.approx(math.pi / 0.5)
    app.I.value = 0.01
    T_small = np.asarray(app.period_dot.get_offsets())[0, 1]
    assert T_small == pytest.approx(math.pi / 0.1)
    app.I.value = -0.2
    assert len(app.period_dot.get_offsets()) == 0
    eq = np.asarray(app.eq.get_offsets())
    c = (1 - 0.2) / (1 + 0.2)  # cos(theta) = (1 + I) / (1 - I)
    np.testing.assert_allclose(eq[:, 0], [c, c], atol=1e-12)


def test_supercritical_hopf_cycle_radius_and_oscillation():
    """r' = I r - r^3: a stable cycle of radius sqrt(I) for I > 0; x(t) from a small push
    grows to that amplitude; below 0 it decays."""
    app = normal_form_explorer("supercritical Hopf", 0.36)
    (seg,) = app.cycles_s.get_segments()
    np.testing.assert_allclose(np.hypot(seg[:, 0], seg[:, 1]), 0.6, rtol=1e-12)
    t, x = app.xt.get_data()
    assert np.max(np.abs(np.asarray(x)[t > 40])) == pytest.approx(0.6, rel=0.02)
    app.I.value = -0.2
    assert len(app.cycles_s.get_segments()) == 0
    t, x = app.xt.get_data()
    assert np.max(np.abs(np.asarray(x)[t > 40])) < 1e-3


def test_subcritical_hopf_bistability_and_hysteresis():
    """r' = I r + r^3 - r^5: for -1/4 < I < 0 a stable equilibrium, an unstable cycle
    r^2 = (1 - sqrt(1 + 4I))/2 and a stable cycle r^2 = (1 + sqrt(1 + 4I))/2 coexist.
    The sweep jumps up only after I passes 0 and falls only below the fold at -1/4."""
    app = normal_form_explorer("subcritical Hopf", -0.16)
    r_u = math.sqrt((1 - math.sqrt(1 - 0.64)) / 2)
    r_s = math.sqrt((1 + math.sqrt(1 - 0.64)) / 2)
    (s_seg,) = app.cycles_s.get_segments()
    (u_seg,) = app.cycles_u.get_segments()
    assert np.hypot(*s_seg[0]) == pytest.approx(r_s)
    assert np.hypot(*u_seg[0]) == pytest.approx(r_u)
    # the sweep panel draws neurolab.analysis.hysteresis_sweep (its thresholds are
    # tested in tests/test_normal_forms.py)
    I_up, r_up, I_dn, r_dn = hysteresis_sweep()
    lines = {ln.get_label(): ln for ln in app.ax_extra.get_lines()}
    np.testing.assert_allclose(lines["I going up"].get_xydata(), np.column_stack([I_up, r_up]))
    np.testing.assert_allclose(lines["I going down"].get_xydata(),
                               np.column_stack([I_dn, r_dn]))
    up_jump = I_up[np.argmax(r_up > 0.5)]
    dn_fall = I_dn[np.argmax(r_dn < 0.5)]
    assert 0.0 < up_jump <= 0.05
    assert -0.3 <= dn_fall < -0.25


def test_normal_form_factory_rejects_bad_arguments():
    """Unknown forms and out-of-range I raise ValueError naming them."""
    with pytest.raises(ValueError, match="form"):
        normal_form_explorer("pitchfork")
    with pytest.raises(ValueError, match="I"):
        normal_form_explorer("saddle-node", 3.0)


def test_model_diagram_marker_and_trace():
    """I_Na,p+I_K high-threshold: the background job shows the diagram with its SNIC
    (Izhikevich 2007, ch. 6: near 4.5 uA/cm2); moving I moves the marker and shows the
    trace that simulate() computes at that current."""
    app = bifurcation_explorer(MODEL_SETTINGS, "I_Na,p+I_K high-threshold (SNIC)", I=3.0)
    app.job.wait()
    assert app.error == "" and app.diagram is not None
    kinds = [b.kind for b in app.diagram.bifurcations]
    assert kinds == ["saddle-node on invariant circle"]
    assert app.diagram.bifurcations[0].I == pytest.approx(4.51, abs=0.05)
    app.I.value = 6.0
    assert list(app.handle.artists["marker"].get_xdata()) == [6.0, 6.0]
    ref = simulate(MODEL_SETTINGS[app.setting.title].model, 60.0, current=6.0)
    np.testing.assert_allclose(app.trace.artists["line"].get_ydata(), ref.V)
    assert len(ref.spike_times) > 0 and f"{len(ref.spike_times)} spike(s)" in app.info.value
    assert app.view.image.value[:4] == PNG


def test_model_explorer_bad_input_and_recovery():
    """An unknown model or a current outside the range is a ValueError naming it; a
    diverging run inside the app shows as a message and a good value clears it."""
    with pytest.raises(ValueError, match="selected must be one of"):
        bifurcation_explorer(MODEL_SETTINGS, "no such model")
    with pytest.raises(ValueError, match="models must be a neurolab model"):
        bifurcation_explorer("Hodgkin-Huxley")
    with pytest.raises(ValueError, match="I"):
        bifurcation_explorer(MODEL_SETTINGS, I=1e6)
    app = bifurcation_explorer(MODEL_SETTINGS, "Hodgkin-Huxley")
    app.job.wait()
    app.I.max = 1e9
    app.I.value = 1e9  # Hodgkin-Huxley's state blows up at once: SimulationDiverged
    assert "diverged" in app.error
    app.I.value = 12.0
    assert app.error == ""
    assert len(app.trace.artists["line"].get_ydata()) > 0


def test_model_setting_defaults_come_from_the_model():
    """A bare model is shown over its current_range from its start_current, for
    start_duration, in the first range of its plane_window."""
    app = bifurcation_explorer([INaPK()])
    s = app.setting
    assert s.title == "I_Na,p + I_K: high-threshold"
    assert s.I_range == INaPK.current_range and s.I == INaPK.start_current
    assert s.duration == INaPK.start_duration and s.v_lim == INaPK.plane_window[0]
    app.job.wait()
    assert app.error == "" and app.ax_diag.get_ylabel() == "V (mV)"
