"""Tests of the phase-portrait and trace-determinant apps (neurolab.widgets.phase_portrait).

The apps are built headless; each test sets controls, redraws synchronously and compares
the artists' data with a direct call of :mod:`neurolab.analysis` (the reference is the
analysis function itself; the widget must show exactly its numbers).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import basins, classify, fixed_points, nullclines, separatrix
from neurolab.models import FitzHughNagumo, INaPK, Izhikevich, define_model
from neurolab.widgets.phase_portrait import (
    Scenario,
    phase_portrait,
    trace_determinant_explorer,
)

PNG = b"\x89PNG"
#: The menu of notebook 04: label -> model with its window, current range and start.
_V_WINDOW = dict(xlim=(-80.0, 10.0), ylim=(-0.1, 0.7), start=(-50.0, 0.0), duration=20.0,
                 I_step=0.1)
SCENARIOS = {
    "FitzHugh-Nagumo": Scenario(FitzHughNagumo(), I=0.0, I_range=(-1.0, 2.0), I_step=0.01,
                                xlim=(-2.5, 2.5), ylim=(-1.0, 3.0), start=(0.0, -0.5),
                                duration=100.0),
    "I_Na,p+I_K high-threshold (saddle-node)": Scenario(INaPK(), I=0.0, I_range=(-5.0, 10.0),
                                                        **_V_WINDOW),
    "I_Na,p+I_K bistable (tau = 0.16 ms)": Scenario(INaPK(tau=0.16), I=4.0,
                                                    I_range=(0.0, 10.0), **_V_WINDOW),
    "Izhikevich RS": Scenario(Izhikevich.preset("RS"), I=0.0, I_range=(-10.0, 10.0),
                              I_step=0.1, xlim=(-90.0, 30.0), ylim=(-20.0, 0.0),
                              start=(-45.0, -14.0), duration=100.0),
}


def _offsets(app, kind):
    return np.asarray(app.handle.artists["fixed_points"][kind].get_offsets())


def test_current_slider_is_first_and_moves_the_nullcline():
    """The first control is I; one step moves the v-nullcline of FitzHugh-Nagumo by the
    step (w = v - v^3/3 + I: a vertical shift by exactly dI) and changes the image."""
    app = phase_portrait(SCENARIOS)
    assert app.controls[0] is app.I
    before = [s.copy() for s in app.handle.artists["x_nullcline"].get_segments()]
    png = app.view.image.value
    app.I.value = app.I.value + app.I.step
    app._redraw_and_refresh()
    after = app.handle.artists["x_nullcline"].get_segments()
    ref = nullclines(FitzHughNagumo(), app.I.value, (-2.5, 2.5), (-1.0, 3.0)).x_nullcline
    assert len(after) == len(ref)
    for a, r in zip(after, ref, strict=True):
        np.testing.assert_allclose(a, r)
    assert not np.allclose(before[0][:, 1][: len(after[0])], after[0][:, 1][: len(before[0])])
    assert app.view.image.value[:4] == PNG and app.view.image.value != png


def test_fixed_points_and_kind_words_match_analysis():
    """I_Na,p+I_K high-threshold at I = 0: the markers and the kind words are those of
    neurolab.analysis.fixed_points (stable node, saddle, unstable focus)."""
    app = phase_portrait(SCENARIOS, "I_Na,p+I_K high-threshold (saddle-node)")
    ref = fixed_points(INaPK(), 0.0, (-80.0, 10.0), (-0.1, 0.7))
    assert [fp.kind for fp in ref] == ["stable node", "saddle", "unstable focus"]
    for fp in ref:
        assert np.any(np.all(np.isclose(_offsets(app, fp.kind), fp.state), axis=1))
    words = [t.get_text() for t in app.kind_texts if t.get_visible()]
    assert words == [fp.kind for fp in ref]
    assert "saddle at V = -56" in app.summary.value


def test_layers_switch_off_and_on():
    """Each check box hides its layer; the trajectory starts at the start sliders."""
    app = phase_portrait(SCENARIOS)
    a = app.handle.artists
    for key, art in (("field", a["field"]), ("nullclines", a["x_nullcline"]),
                     ("fixed_points", a["fixed_points"]["stable focus"])):
        app.layers[key].value = False  # the observer redraws (no event loop here)
        assert not art.get_visible()
        app.layers[key].value = True
        assert art.get_visible()
    app.x0.value, app.y0.value = 1.0, 0.5
    x, y = a["trajectory"].get_data()
    assert (x[0], y[0]) == pytest.approx((1.0, 0.5), abs=1e-9)
    app.layers["trajectory"].value = False
    assert len(a["trajectory"].get_data()[0]) == 0
    app.layers["fan"].value = True
    assert len(app.fan.get_segments()) == 8


def test_basins_and_separatrix_in_the_bistable_setting():
    """Fast potassium gate (tau = 0.16 ms), I = 4: rest and repetitive spiking coexist.
    The background job shows the labels of neurolab.analysis.basins on the same grid and
    the saddle's stable manifold from neurolab.analysis.separatrix; both attractors have
    a basin."""
    label = "I_Na,p+I_K bistable (tau = 0.16 ms)"
    sc = SCENARIOS[label]
    app = phase_portrait(SCENARIOS, label, layers={"basins": False}, basin_grid=30)
    app.job.synchronous = True
    app.layers["basins"].value = True
    app._redraw_and_refresh()
    assert app.error == ""
    _X, _Y, labels, att = basins(sc.model, sc.I, sc.xlim, sc.ylim, n=30)
    np.testing.assert_array_equal(app.basin_labels, labels)
    assert [a if isinstance(a, str) else a.kind for a in app.basin_attractors] == \
        ["stable node", "spiking"]
    assert set(np.unique(labels)) >= {0, 1}
    ref = separatrix(sc.model, sc.I, xlim=sc.xlim, ylim=sc.ylim)
    got = app.separatrix.get_segments()
    assert len(got) == len(ref)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(g, r)
    assert app.basin_image.get_visible() and "spiking" in app.summary.value


def test_picker_switches_model_and_window():
    """Choosing another model rebuilds the plane with its state names and window."""
    app = phase_portrait(SCENARIOS)
    app.picker.value = "Izhikevich RS"
    app._redraw_and_refresh()
    assert app.error == ""
    assert app.ax.get_xlim() == SCENARIOS["Izhikevich RS"].xlim
    assert app.ax.get_xlabel().startswith("v")
    assert app.x0.min == -90.0 and app.I.value == 0.0
    assert {t.get_text() for t in app.kind_texts if t.get_visible()} == {"stable node",
                                                                         "saddle"}


def test_bad_value_shows_an_error_and_the_app_recovers():
    """A start far outside the window makes the FitzHugh-Nagumo run blow up (v^3); the
    guard shows SimulationDiverged as a message beside the controls, not a traceback,
    and a good value clears it and redraws."""
    app = phase_portrait(SCENARIOS)
    app.x0.max = 1e8
    app.x0.value = 1e8  # the observer redraws through the guard (no event loop here)
    assert "diverge" in app.error.lower()
    app.x0.value = 0.5
    assert app.error == ""
    x, _y = app.handle.artists["trajectory"].get_data()
    assert x[0] == pytest.approx(0.5)
    assert app.view.image.value[:4] == PNG


def test_factory_rejects_bad_arguments():
    """Unknown labels, non-models, models without two states, layers and grid sizes
    raise ValueError naming them."""
    with pytest.raises(ValueError, match="selected must be one of"):
        phase_portrait(SCENARIOS, "no such model")
    with pytest.raises(ValueError, match="models must be a neurolab model"):
        phase_portrait("FitzHugh-Nagumo")
    one = define_model("OneStateLeak", "dV/dt = -V + I", {"g": 1.0}, register_model=False)
    with pytest.raises(ValueError, match="2 state"):
        phase_portrait(one())
    with pytest.raises(ValueError, match="two-dimensional"):
        phase_portrait({"x": Scenario(one())})
    with pytest.raises(ValueError, match="layers"):
        phase_portrait(SCENARIOS, layers={"colour": True})
    with pytest.raises(ValueError, match="basin_grid"):
        phase_portrait(SCENARIOS, basin_grid=3)
    with pytest.raises(ValueError, match="J11"):
        trace_determinant_explorer(J11=5.0)


def test_custom_two_dimensional_model():
    """Any two-dimensional model works; its window comes from its plane_window. a = 0,
    b = 2, I = 0: three equilibria (v = 0 and +-sqrt(3/2), roots of v/2 - v^3/3)."""
    model = FitzHughNagumo(a=0.0, b=2.0)
    app = phase_portrait(model, I=0.0)
    assert app.error == ""
    assert (app.scenario.xlim, app.scenario.ylim) == FitzHughNagumo.plane_window
    assert app.scenario.I_range == FitzHughNagumo.current_range
    ref = fixed_points(model, 0.0, app.scenario.xlim, app.scenario.ylim)
    assert [fp.kind for fp in app.handle.points] == [fp.kind for fp in ref]
    np.testing.assert_allclose([fp.state[0] for fp in app.handle.points],
                               [-np.sqrt(1.5), 0.0, np.sqrt(1.5)], atol=1e-9)


@pytest.mark.parametrize("entries, kind", [
    ((-1.0, 0.0, 0.0, -2.0), "stable node"),
    ((1.0, 0.0, 0.0, 2.0), "unstable node"),
    ((-0.5, -1.0, 1.0, -0.5), "stable focus"),
    ((0.5, -1.0, 1.0, 0.5), "unstable focus"),
    ((1.0, 0.0, 0.0, -1.0), "saddle"),
    ((0.0, -1.0, 1.0, 0.0), "center"),
])
def test_trace_determinant_app_kinds(entries, kind):
    """Hand-made matrices with known eigenvalues (diagonal: the entries; a I + b R:
    a +- i b): the kind word is classify's, the point is (tr, det), the eigenvalue
    markers are the eigenvalues."""
    app = trace_determinant_explorer(*entries)
    J = np.array(entries).reshape(2, 2)
    assert classify(J) == kind and kind in app.kind.value
    np.testing.assert_allclose(app.td.artists["points"].get_offsets(),
                               [[np.trace(J), np.linalg.det(J)]])
    pts = np.asarray(app.eig.artists["points"].get_offsets())
    lam = np.linalg.eigvals(J)
    assert sorted(map(tuple, np.round(pts, 12))) == sorted(
        (round(z.real, 12), round(z.imag, 12)) for z in lam)
    # the eigenvalue frame is fixed (update with rescale=False): the blit background holds
    assert app.ax_eig.get_xlim() == (-app._LIM, app._LIM)
    assert app.ax_eig.get_ylim() == (-app._LIM, app._LIM)


def test_saddle_has_one_attracting_and_one_repelling_pair_of_rays():
    """Syllabus slip: in 2-D a saddle has one attracting and one repelling direction,
    each a pair of opposite rays along the eigenvectors of diag(1, -1)."""
    app = trace_determinant_explorer(1.0, 0.0, 0.0, -1.0)
    ins, outs = app.rays_in.get_segments(), app.rays_out.get_segments()
    assert len(ins) == 2 and len(outs) == 2
    np.testing.assert_allclose(ins[0][1], -ins[1][1])
    assert abs(ins[0][1][0]) < 1e-12  # attracting along x2 (eigenvalue -1)
    assert abs(outs[0][1][1]) < 1e-12  # repelling along x1 (eigenvalue +1)
    assert "one repelling direction" in app.kind.value


def test_linear_paths_follow_the_exact_solution():
    """For J = diag(-1, -2) the paths are x(t) = (x0 e^-t, y0 e^-2t): along each drawn
    path y / x^2 is constant (the exact invariant y x0^2 / (y0 x^2) = 1)."""
    app = trace_determinant_explorer(-1.0, 0.0, 0.0, -2.0)
    for seg in app.paths.get_segments():
        seg = np.asarray(seg)
        ok = np.all(np.isfinite(seg), axis=1) & (np.abs(seg[:, 0]) > 1e-3)
        if np.count_nonzero(ok) < 3 or abs(seg[0, 0]) < 1e-3:
            continue
        ratio = seg[ok, 1] / seg[ok, 0] ** 2
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-8)


def test_window_from_nullclines_without_a_plane_window():
    """A model without plane_window gets its equilibrium window in x and the range of
    its nullclines there in y: v' = I - v - w, w' = v - w has the nullclines w = -v and
    w = v at I = 0, so the y range is the x range, padded by 10 %."""
    lin = define_model("LinearPair", "dv/dt = I - v - w\ndw/dt = v - w", {"k": 1.0},
                       register_model=False, equilibrium_window=(-2.0, 2.0),
                       time_unit="")
    app = phase_portrait(lin())
    assert app.scenario.xlim == (-2.0, 2.0)
    assert app.scenario.ylim == pytest.approx((-2.4, 2.4))
    assert app.scenario.duration == 100.0 and app.error == ""
