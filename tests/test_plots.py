"""Tests of neurolab.plots: documented artists, in-place updates, units on every axis."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from neurolab import analysis  # noqa: E402
from neurolab.analysis.results import (  # noqa: E402
    KINDS,
    Bifurcation,
    BifurcationDiagram,
    EquilibriumBranch,
    LimitCycleBranch,
)
from neurolab.models import LIF, FitzHughNagumo, HodgkinHuxley, INaPK  # noqa: E402
from neurolab.plots import (  # noqa: E402
    plot_bifurcation_diagram,
    plot_current,
    plot_eigenvalues,
    plot_fi_curve,
    plot_normal_form,
    plot_phase_plane,
    plot_psth,
    plot_raster,
    plot_trace,
    plot_trace_determinant,
)
from neurolab.simulate import simulate  # noqa: E402
from neurolab.stimulus import step  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _count(ax):
    return len(ax.lines), len(ax.collections), len(ax.patches), len(ax.texts)


@pytest.fixture(scope="module")
def hh_trace():
    return simulate(HodgkinHuxley(), 60.0, current=step(10.0, 5.0, 50.0))


# ----------------------------------------------------------------------------- traces
def test_trace_artists_units_and_update(ax, hh_trace):
    fig2, cax = plt.subplots()
    h = plot_trace(ax, hh_trace, current_ax=cax, convention_note=True)
    assert ax.get_xlabel() == "t (ms)" and ax.get_ylabel() == "V (mV)"
    assert "µA/cm²" in cax.get_ylabel() and cax.get_xlabel() == "t (ms)"
    np.testing.assert_array_equal(h["line"].get_xdata(), hh_trace.t)
    np.testing.assert_array_equal(h["spikes"].get_offsets()[:, 0], hh_trace.spike_times)
    assert "-65" in h["note"].get_text().replace("−", "-")
    before, cbefore = _count(ax), _count(cax)
    quiet = simulate(HodgkinHuxley(), 30.0, current=0.0)
    h.update(quiet)
    assert _count(ax) == before and _count(cax) == cbefore
    np.testing.assert_array_equal(h["line"].get_ydata(), quiet.V)
    assert len(h["spikes"].get_offsets()) == 0
    np.testing.assert_array_equal(h["current"]["line"].get_ydata(), quiet.current)
    plt.close(fig2)


def test_trace_dimensionless_and_other_states(ax):
    tr = simulate(FitzHughNagumo(), 100.0, current=0.5)
    h = plot_trace(ax, tr)  # "V" falls back to the first state, v
    assert ax.get_ylabel() == "v (dimensionless)"
    assert ax.get_xlabel() == "t (dimensionless)"
    np.testing.assert_array_equal(h["line"].get_ydata(), tr.v)
    fig, ax2 = plt.subplots()
    plot_trace(ax2, simulate(HodgkinHuxley(), 5.0), state="n")
    assert ax2.get_ylabel() == "n (dimensionless)"
    with pytest.raises(ValueError, match="state"):
        plot_trace(ax2, tr, state="q")
    with pytest.raises(ValueError, match="trace"):
        plot_trace(ax2, np.zeros(3))
    plt.close(fig)


def test_current_plot_lif_units(ax):
    tr = simulate(LIF(), 50.0, current=step(2.0, 10.0))
    h = plot_current(ax, tr)
    assert ax.get_ylabel() == "I (nA)"
    np.testing.assert_array_equal(h["line"].get_ydata(), tr.current)


def test_raster_psth_fi_update_in_place(ax):
    trains = [np.array([1.0, 5.0]), np.array([]), np.array([2.0, 3.0, 9.0])]
    h = plot_raster(ax, trains)
    segs = h["ticks"].get_segments()
    assert len(segs) == 5
    assert sorted(s[0, 0] for s in segs) == [1.0, 2.0, 3.0, 5.0, 9.0]
    assert ax.get_xlabel() == "t (ms)"
    n = _count(ax)
    h.update([np.array([4.0])])
    assert _count(ax) == n and len(h["ticks"].get_segments()) == 1

    fig, ax2 = plt.subplots()
    edges, rates = np.linspace(0, 100, 11), np.arange(10.0)
    p = plot_psth(ax2, edges, rates)
    assert ax2.get_ylabel() == "rate (Hz)"
    n = _count(ax2)
    p.update(rates=rates[::-1])
    assert _count(ax2) == n
    np.testing.assert_array_equal(p["bars"].get_data().values, rates[::-1])
    with pytest.raises(ValueError, match="edges"):
        plot_psth(ax2, edges[:-1], rates)

    fig3, ax3 = plt.subplots()
    I = np.linspace(0, 5, 6)
    model = LIF()
    f = plot_fi_curve(ax3, I, model.rate(I), I_marker=1.0, model=model)
    assert ax3.get_xlabel() == "I (nA)" and ax3.get_ylabel() == "rate (Hz)"
    n = _count(ax3)
    f.update(I_marker=3.0)
    f.update(I, 2 * model.rate(I))
    assert _count(ax3) == n
    assert list(f["marker"].get_xdata()) == [3.0, 3.0]
    with pytest.raises(ValueError, match="currents and rates"):
        plot_fi_curve(ax3, I, I[:-1])
    for fig_ in (fig, fig3):
        plt.close(fig_)


# ----------------------------------------------------------------------------- phase plane
def test_phase_plane_shows_the_analysis_and_updates_in_place(ax):
    """Nullclines, fixed points and arrows are exactly those of neurolab.analysis; the arrow
    directions agree in sign with the model's right-hand side."""
    m = INaPK()
    xlim, ylim = (-90.0, 20.0), (-0.1, 0.8)
    traj = simulate(m, 20.0, current=0.0, y0=[-40.0, 0.05])
    h = plot_phase_plane(ax, m, 0.0, xlim, ylim, trajectory=traj, convention_note=True)
    assert ax.get_xlabel() == "V (mV)" and ax.get_ylabel() == "n (dimensionless)"
    fps = analysis.fixed_points(m, 0.0, xlim, ylim)
    assert len(fps) == 3  # rest, saddle and an unstable point (Izhikevich 2007, fig. 4.22)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for fp in fps:
        assert fp.kind in legend
        art = h["fixed_points"][fp.kind]
        assert any(np.allclose(o, fp.state) for o in art.get_offsets())
        face = art.get_facecolors()[0]
        assert (face[:3] == 1).all() != fp.stable  # white (open) exactly when unstable
    nc = analysis.nullclines(m, 0.0, xlim, ylim)
    assert len(h["x_nullcline"].get_segments()) == len(nc.x_nullcline)
    np.testing.assert_allclose(h["y_nullcline"].get_segments()[0], nc.y_nullcline[0])
    q = h["field"]
    rhs = m.rhs(q.get_offsets().T, 0.0)
    moving = np.abs(rhs[0]) > 1e-6
    assert np.all(np.sign(q.U[moving]) == np.sign(rhs[0][moving]))
    np.testing.assert_allclose(h["trajectory"].get_xdata(), traj.V)

    before = _count(ax)
    h.update(I=10.0, trajectory=np.array([[-60.0, 0.1], [-50.0, 0.2]]))
    assert _count(ax) == before
    after = analysis.fixed_points(m, 10.0, xlim, ylim)
    shown = sum(len(a.get_offsets()) for a in h["fixed_points"].values())
    assert shown == len(after)
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == after[0].kind
    assert list(h["trajectory"].get_xdata()) == [-60.0, -50.0]


def test_phase_plane_separatrix_and_reduced_hh(ax):
    m = INaPK()
    h = plot_phase_plane(ax, m, 0.0, (-90, 20), (-0.1, 0.8), field=False, separatrix=True)
    curves = analysis.separatrix(m, 0.0, xlim=(-90, 20), ylim=(-0.1, 0.8))
    assert len(h["separatrix"].get_segments()) == len(curves) == 2
    assert "field" not in h
    fig, ax2 = plt.subplots()
    plot_phase_plane(ax2, HodgkinHuxley(), 0.0, (-90, 50), (0.2, 0.9), reduced="h(n)")
    assert ax2.get_xlabel() == "V (mV)" and ax2.get_ylabel() == "n (dimensionless)"
    with pytest.raises(ValueError, match="two-dimensional"):
        plot_phase_plane(ax2, HodgkinHuxley(), 0.0, (-90, 50), (0, 1))
    with pytest.raises(ValueError, match="xlim"):
        plot_phase_plane(ax2, m, 0.0, (20, -90), (0, 1))
    plt.close(fig)


def test_phase_plane_fhn_dimensionless(ax):
    plot_phase_plane(ax, FitzHughNagumo(), 0.0, (-2.5, 2.5), (-1, 2))
    assert ax.get_xlabel() == "v (dimensionless)" and ax.get_ylabel() == "w (dimensionless)"


def test_twenty_redraws_stay_light(ax):
    """A widget redraws about 20 times per second: updating and drawing 20 times must not
    add artists (no timing assert; speed is measured in benchmarks/)."""
    m = INaPK()
    h = plot_phase_plane(ax, m, 0.0, (-90, 20), (-0.1, 0.8))
    before = _count(ax)
    for k, I in enumerate(np.linspace(0.0, 6.0, 20)):
        h.update(I=I)
        if k % 10 == 9:
            ax.figure.canvas.draw()
    assert _count(ax) == before


# ----------------------------------------------------------------------------- bifurcation
def _fhn_diagram(m: FitzHughNagumo) -> BifurcationDiagram:
    """FitzHugh-Nagumo equilibria in closed form: for each v, I = v^3/3 - v + (v + a)/b and
    w = (v + a)/b; stable where the trace 1 - v^2 - b/tau < 0 (det > 0 for b < 1)."""
    v = np.linspace(-2.5, 2.5, 201)
    I = v**3 / 3 - v + (v + m.a) / m.b
    states = np.column_stack([v, (v + m.a) / m.b])
    stable = 1 - v**2 - m.b / m.tau < 0
    eq = EquilibriumBranch(I=I, states=states, stable=stable,
                           eigenvalues=np.zeros((v.size, 2), complex))
    cyc = LimitCycleBranch(I=np.array([0.4, 0.5, 0.6]), period=np.ones(3),
                           v_min=np.array([-1.8, -1.9, -1.9]), v_max=np.array([1.8, 1.9, 1.9]),
                           stable=np.array([False, True, True]))
    bifs = [Bifurcation("Hopf", I0, np.array([0.0, 0.0]), "supercritical")
            for I0 in m.hopf_currents()]
    return BifurcationDiagram(eq, [cyc], bifs)


def test_bifurcation_diagram_styles_and_marker(ax):
    m = FitzHughNagumo()
    d = _fhn_diagram(m)
    h = plot_bifurcation_diagram(ax, d, I_marker=0.2, model=m)
    assert ax.get_xlabel() == "I (dimensionless)" and ax.get_ylabel() == "v (dimensionless)"
    # One unstable run between two stable runs (Hopf at both ends, FitzHugh 1961).
    assert len(h["stable"].get_segments()) == 2 and len(h["unstable"].get_segments()) == 1
    assert h["unstable"].get_linestyle()[0][1] is not None  # dashed
    unstable_v = h["unstable"].get_segments()[0][:, 1]
    vs = np.sqrt(1 - m.b / m.tau)
    assert unstable_v.min() == pytest.approx(-vs, abs=0.03)
    assert unstable_v.max() == pytest.approx(vs, abs=0.03)
    assert len(h["cycles_stable"].get_offsets()) == 4
    assert len(h["cycles_unstable"].get_offsets()) == 2
    assert [t.get_text() for t in h["labels"]] == ["Hopf (supercritical)"] * 2
    before = _count(ax)
    h.update(I_marker=1.0)
    assert _count(ax) == before
    assert list(h["marker"].get_xdata()) == [1.0, 1.0]
    h.update(diagram=d)
    assert _count(ax) == before


def _r_cycles(I):
    """Cycle radii of r' = I r + r^3 - r^5: r^2 = (1 -+ sqrt(1 + 4 I)) / 2 (unstable,
    stable), the closed form of the subcritical Hopf normal form."""
    root = np.sqrt(np.maximum(1 + 4 * np.asarray(I), 0.0))  # 0 at the fold, not -1e-16
    return np.sqrt(np.maximum((1 - root) / 2, 0.0)), np.sqrt((1 + root) / 2)


def test_normal_form_subcritical_hopf_branches_and_marker(ax):
    """Subcritical Hopf: equilibria solid then dashed at I = 0; the cycles drawn at +-r
    on their closed-form radii, the stable one solid and the unstable one dashed; the
    Hopf point at (0, 0) and the fold of cycles at I = -1/4 where r^2 = 1/2 (the
    discriminant 1 + 4 I vanishes); the marker's dots on every state at I."""
    d = analysis.normal_form_diagram("subcritical Hopf", (-1.0, 1.0), 201)
    h = plot_normal_form(ax, d, I_marker=-0.16)
    assert "(dimensionless)" in ax.get_xlabel() and "(dimensionless)" in ax.get_ylabel()
    assert h["stable"].get_linestyle()[0][1] is None  # solid
    assert h["unstable"].get_linestyle()[0][1] is not None  # dashed
    assert h["cycles_unstable"].get_linestyle()[0][1] is not None
    (eq_s,), (eq_u,) = h["stable"].get_segments(), h["unstable"].get_segments()
    assert eq_s[:, 0].max() == pytest.approx(0.0) and eq_u[:, 0].min() == pytest.approx(0.0)
    for key, which in (("cycles_unstable", 0), ("cycles_stable", 1)):
        plus, minus = h[key].get_segments()
        np.testing.assert_allclose(plus[:, 1], _r_cycles(plus[:, 0])[which], atol=1e-12)
        np.testing.assert_allclose(minus[:, 1], -plus[:, 1])
    pts = np.asarray(h["points"].get_offsets())
    r_fold = np.sqrt(0.5)
    np.testing.assert_allclose(sorted(map(tuple, pts)),
                               [(-0.25, -r_fold), (-0.25, r_fold), (0.0, 0.0)], atol=1e-12)
    assert sorted(t.get_text() for t in h["labels"]) == ["Hopf", "fold of cycles"]
    r_u, r_s = _r_cycles(-0.16)
    here = np.asarray(h["here"].get_offsets())
    assert np.all(here[:, 0] == -0.16)
    np.testing.assert_allclose(sorted(here[:, 1]), [-r_s, -r_u, 0.0, r_u, r_s], atol=1e-9)
    assert list(h["marker"].get_xdata()) == [-0.16, -0.16]
    before = _count(ax)
    h.update(I_marker=0.5)  # cheap: no artist created
    assert _count(ax) == before
    here = np.asarray(h["here"].get_offsets())
    np.testing.assert_allclose(sorted(here[:, 1]), [-_r_cycles(0.5)[1], 0.0,
                                                    _r_cycles(0.5)[1]], atol=1e-9)


def test_normal_form_saddle_node_snic_and_bad_input(ax):
    """x' = I + x^2: dots at -+sqrt(-I) for I < 0, none for I > 0; the axes span
    I_range although the branches end at 0. Switching to the theta neuron shades its
    orbit (the whole circle) for I > 0. A model's BifurcationDiagram is refused."""
    d = analysis.normal_form_diagram("saddle-node", (-1.0, 1.0), 201)
    h = plot_normal_form(ax, d, I_marker=-0.25, I_range=(-1.0, 1.0))
    np.testing.assert_allclose(sorted(np.asarray(h["here"].get_offsets())[:, 1]),
                               [-0.5, 0.5], atol=1e-12)
    assert ax.get_xlim() == (-1.0, 1.0)
    assert [t.get_text() for t in h["labels"]] == ["saddle-node"]
    h.update(I_marker=0.3)
    assert len(h["here"].get_offsets()) == 0
    h.update(diagram=analysis.normal_form_diagram("saddle-node on invariant circle"))
    assert len(h["orbits"]) == 2 and not h["cycles_stable"].get_segments()
    assert [t.get_text() for t in h["labels"]] == ["SNIC"]
    np.testing.assert_allclose(np.asarray(h["here"].get_offsets()), [[0.3, np.pi]])
    with pytest.raises(ValueError, match="NormalFormDiagram"):
        plot_normal_form(ax, _fhn_diagram(FitzHughNagumo()))
    with pytest.raises(ValueError, match="I_range"):
        plot_normal_form(ax, d, I_range=(1.0, -1.0))


# ----------------------------------------------------------------------------- tr-det, eig
def test_trace_determinant_plane(ax):
    """Parabola det = tr^2/4; every kind's region labelled; points at (trace, det) of the
    Jacobians."""
    fps = analysis.fixed_points(INaPK(), 0.0)
    h = plot_trace_determinant(ax, fps, tr_lim=(-3, 3), det_lim=(-3, 3))
    x, y = h["parabola"].get_data()
    np.testing.assert_allclose(y, x**2 / 4)
    assert set(h["regions"]) == set(KINDS) - {"degenerate"}
    expected = [[np.trace(fp.jacobian), np.linalg.det(fp.jacobian)] for fp in fps]
    np.testing.assert_allclose(h["points"].get_offsets(), expected)
    assert "1/ms" in ax.get_xlabel() and "1/ms²" in ax.get_ylabel()
    before = _count(ax)
    h.update([[1.0, -1.0]])
    assert _count(ax) == before
    np.testing.assert_allclose(h["points"].get_offsets(), [[1.0, -1.0]])


def test_eigenvalues_plot(ax):
    h = plot_eigenvalues(ax, [-1 + 2j, -1 - 2j])
    assert "1/ms" in ax.get_xlabel() and "Im" in ax.get_ylabel()
    before = _count(ax)
    h.update([0.5 + 1j, 0.5 - 1j, -3.0])
    assert _count(ax) == before
    faces = h["points"].get_facecolors()
    assert faces[0][3] == 0 and faces[2][3] == 1  # open when Re > 0, filled when Re < 0
    # the default update frames the eigenvalues (|lambda| max 3 -> +-3.75); rescale=False
    # keeps the limits, and the points still move
    assert ax.get_xlim() == pytest.approx((-3.75, 3.75))
    ax.set_xlim(-1.0, 1.0)
    ax.set_ylim(-1.0, 1.0)
    h.update([-5.0 + 0.5j, -5.0 - 0.5j], rescale=False)
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-1.0, 1.0)
    np.testing.assert_allclose(h["points"].get_offsets(), [[-5.0, 0.5], [-5.0, -0.5]])
    with pytest.raises(ValueError, match="eigenvalues"):
        plot_eigenvalues(ax, [np.nan])
