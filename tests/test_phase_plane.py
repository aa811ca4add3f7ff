"""Tests of the phase-plane analysis (neurolab.analysis.phase_plane).

Each test names the independent result it checks against: a closed form, a published
statement, or a second numerical method (finite differences, numpy's polynomial roots,
direct simulation).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import (
    KINDS,
    basins,
    classify,
    fixed_points,
    nullclines,
    separatrix,
    trace_determinant,
    trajectory,
    vector_field,
)
from neurolab.models import FitzHughNagumo, HodgkinHuxley, INaP, INaPK, Izhikevich
from neurolab.simulate import simulate

#: The reduced (V, n) plane of Hodgkin-Huxley (m = m_inf(V), h = 0.89 - 1.1 n), and the
#: same with h fixed.
HH_PLANE = "h(n)"


def reduced_hh(model=None, h=None):
    model = HodgkinHuxley() if model is None else model
    return model.reduce(HH_PLANE if h is None else {"m": "m_inf", "h": h})


def fd_jacobian(f, y, eps=1e-6):
    """Central finite-difference Jacobian of f at y (an independent check of jacobian())."""
    y = np.asarray(y, dtype=float)
    n = y.size
    J = np.empty((n, n))
    for j in range(n):
        h = eps * max(1.0, abs(y[j]))
        e = np.zeros(n)
        e[j] = h
        J[:, j] = (f(y + e) - f(y - e)) / (2 * h)
    return J


def sorted_eigs(J):
    lam = np.linalg.eigvals(J).astype(complex)
    return lam[np.lexsort((-lam.imag, -lam.real))]


# ----------------------------------------------------------------------------- classify
@pytest.mark.parametrize("J, kind", [
    ([[-1.0, 0.0], [0.0, -2.0]], "stable node"),
    ([[1.0, 0.0], [0.0, 3.0]], "unstable node"),
    ([[-1.0, 2.0], [-2.0, -1.0]], "stable focus"),
    ([[0.5, -2.0], [2.0, 0.5]], "unstable focus"),
    ([[1.0, 0.0], [0.0, -1.0]], "saddle"),
    ([[0.0, 1.0], [-4.0, 0.0]], "center"),
    ([[1.0, 0.0], [0.0, 0.0]], "degenerate"),
    ([[0.0, 0.0], [0.0, 0.0]], "degenerate"),
    # boundary tr^2 = 4 det (repeated eigenvalue, a Jordan block): still a node
    ([[-1.0, 1.0], [0.0, -1.0]], "stable node"),
    ([[2.0, 0.0], [0.0, 2.0]], "unstable node"),
    # one dimension
    ([[-3.0]], "stable node"), ([[0.2]], "unstable node"), ([[0.0]], "degenerate"),
    # three dimensions: saddle-focus, leading eigenvalue complex or real, Hopf point
    (np.diag([-1.0, -2.0, 0.5]), "saddle"),
    ([[-0.1, 1.0, 0.0], [-1.0, -0.1, 0.0], [0.0, 0.0, -5.0]], "stable focus"),
    ([[-2.0, 1.0, 0.0], [-1.0, -2.0, 0.0], [0.0, 0.0, -0.5]], "stable node"),
    ([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, -5.0]], "center"),
])
def test_classify_hand_made(J, kind):
    """Kinds from the eigenvalues of hand-made matrices (eigenvalues known by
    construction: diagonal, rotation-scaling a I + b R, block-diagonal)."""
    assert classify(J) == kind
    assert kind in KINDS


def test_classify_is_scale_invariant():
    """The tolerance is relative: scaling a matrix by 1e-6 or 1e6 keeps its kind."""
    J = np.array([[-1.0, 2.0], [-2.0, -1.0]])
    for s in (1e-6, 1.0, 1e6):
        assert classify(s * J) == "stable focus"
    assert classify(np.diag([1e-3, -1e-3])) == "saddle"


@pytest.mark.parametrize("bad", [[[1.0, 2.0]], np.ones((2, 2, 2)), [[np.nan, 0], [0, 1]]])
def test_classify_bad_input(bad):
    with pytest.raises(ValueError, match="jacobian"):
        classify(bad)


# ----------------------------------------------------------------------------- fixed points
def test_fitzhugh_nagumo_fixed_point_equals_cubic_roots_and_nullcline_crossing():
    """FitzHugh-Nagumo equilibria solve v - v^3/3 - (v + a)/b + I = 0 (a cubic, solved
    by numpy.roots), and lie where the two analytic nullclines cross."""
    for model, I in [(FitzHughNagumo(), 0.0), (FitzHughNagumo(), 0.5),
                     (FitzHughNagumo(a=0.0, b=2.0), 0.0)]:
        a, b = model.a, model.b
        roots = np.roots([-1.0 / 3.0, 0.0, 1.0 - 1.0 / b, I - a / b])
        real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
        fps = fixed_points(model, I)
        v = np.array([fp.state[0] for fp in fps])
        np.testing.assert_allclose(v, real, atol=1e-9)
        for fp in fps:
            assert fp.state[1] == pytest.approx((fp.state[0] + a) / b, abs=1e-9)
        nc = nullclines(model, I, (-2.5, 2.5), (-3.0, 3.0), n=2001)
        xs = np.concatenate([p for p in nc.x_nullcline])
        ys = np.concatenate([p for p in nc.y_nullcline])
        # the two polylines sample the same v grid: they cross where w agrees
        w_x = np.interp(v, xs[:, 0], xs[:, 1])
        w_y = np.interp(v, ys[:, 0], ys[:, 1])
        np.testing.assert_allclose(w_x, w_y, atol=1e-5)


def test_fitzhugh_nagumo_three_equilibria_kinds():
    """a = 0, b = 2, I = 0: roots 0 and +-sqrt(3/2) of v/2 - v^3/3. At v = 0,
    J = [[1, -1], [1/tau, -2/tau]] has det = -1/tau < 0: a saddle; at v = +-sqrt(3/2),
    tr = -1/2 - 2/tau < 0 and det = (2 v^2 - 1)/tau = 2/tau > 0: stable."""
    fps = fixed_points(FitzHughNagumo(a=0.0, b=2.0), 0.0)
    assert [fp.kind for fp in fps][1] == "saddle"
    assert fps[0].stable and fps[2].stable
    np.testing.assert_allclose([fp.state[0] for fp in fps], [-np.sqrt(1.5), 0, np.sqrt(1.5)],
                               atol=1e-9)


def test_inap_three_fixed_points_at_zero_current():
    """I_Na,p at I = 0 (Izhikevich 2007, ch. 4, Fig. 4.1 parameters): three equilibria,
    stable rest, unstable threshold, stable upper state; the sign of dV/dt' (central
    difference of the right-hand side) decides each."""
    model = INaP()
    fps = fixed_points(model, 0.0)
    assert [fp.kind for fp in fps] == ["stable node", "unstable node", "stable node"]
    for fp in fps:
        V = fp.state[0]
        slope = (model.rhs([V + 1e-5], 0.0)[0] - model.rhs([V - 1e-5], 0.0)[0]) / 2e-5
        assert np.sign(slope) == np.sign(fp.eigenvalues[0].real)
        assert abs(model.rhs(fp.state, 0.0)[0]) < 1e-8


def test_inapk_fixed_points_at_zero_current():
    """I_Na,p + I_K, high-threshold parameters, I = 0: a stable node (rest), a saddle and
    an unstable focus, as in Izhikevich (2007), ch. 4 (phase portrait of the model at
    I = 0). Independently, each lies where the analytic nullclines cross
    (n_inf(V) equals the V-nullcline n(V))."""
    model = INaPK()
    fps = fixed_points(model, 0.0)
    assert [fp.kind for fp in fps] == ["stable node", "saddle", "unstable focus"]
    p = model
    for fp in fps:
        V, n = fp.state
        m = 1 / (1 + np.exp((p.m_half - V) / p.m_k))
        n_v = (-p.g_L * (V - p.E_L) - p.g_Na * m * (V - p.E_Na)) / (p.g_K * (V - p.E_K))
        n_inf = 1 / (1 + np.exp((p.n_half - V) / p.n_k))
        assert n == pytest.approx(n_v, abs=1e-9) and n == pytest.approx(n_inf, abs=1e-12)
    # the box filters: only the rest in V < -60 mV, none in n > 0.9
    assert len(fixed_points(model, 0.0, xlim=(-100, -60))) == 1
    assert fixed_points(model, 0.0, ylim=(0.9, 1.0)) == []


def test_izhikevich_fixed_points_closed_form():
    """Izhikevich (2003) model with u = b v: 0.04 v^2 + (5 - b) v + 140 + I = 0; for the
    RS cell (b = 0.2) at I = 0 the roots are exactly -70 and -50 mV (rest and saddle),
    and no equilibrium exists above the saddle-node current (5 - b)^2 / 0.16 - 140 = 4."""
    model = Izhikevich.preset("RS")
    for I in (0.0, 2.0, 3.9):
        roots = np.sort(np.roots([0.04, 5.0 - model.b, 140.0 + I]).real)
        fps = fixed_points(model, I)
        np.testing.assert_allclose([fp.state[0] for fp in fps], roots, atol=1e-9)
        np.testing.assert_allclose([fp.state[1] for fp in fps], model.b * roots, atol=1e-9)
        for fp, v in zip(fps, roots, strict=True):
            J = np.array([[0.08 * v + 5.0, -1.0], [model.a * model.b, -model.a]])
            np.testing.assert_allclose(fp.jacobian, J, atol=1e-12)
    fps = fixed_points(model, 0.0)
    np.testing.assert_allclose([fp.state[0] for fp in fps], [-70.0, -50.0], atol=1e-9)
    assert [fp.kind for fp in fps] == ["stable node", "saddle"]
    # b > a: the rest loses stability (tr J = 0.08 v + 5 - a > 0) before the saddle-node,
    # an Andronov-Hopf bifurcation (Izhikevich 2007, ch. 8)
    assert fixed_points(model, 3.9)[0].kind == "unstable focus"
    assert fixed_points(model, 4.5) == []


@pytest.mark.parametrize("model, I", [
    (INaPK(), 0.0), (INaPK.preset("low-threshold"), 0.0), (FitzHughNagumo(), 0.3),
    (Izhikevich(), 1.0), (HodgkinHuxley(), 0.0), (reduced_hh(), 0.0),
    (reduced_hh(h=0.6), 5.0),
])
def test_eigenvalues_match_finite_difference_jacobian(model, I):
    """Eigenvalues of the analytic Jacobian at each fixed point equal numpy.linalg.eigvals
    of a central finite-difference Jacobian of the right-hand side."""
    fps = fixed_points(model, I)
    assert fps
    for fp in fps:
        J = fd_jacobian(lambda y: model.rhs(y, I), fp.state)
        np.testing.assert_allclose(fp.eigenvalues, sorted_eigs(J), rtol=1e-5, atol=1e-7)
        assert fp.kind == classify(J)
        assert fp.I == I


# ----------------------------------------------------------------------------- reduced HH
def test_reduced_hh_jacobian_matches_finite_differences():
    """Analytic Jacobian of the reduced (V, n) plane against central differences, at
    points across the plane, for h = h(n) and for a fixed h; including V = -40 and -55 mV
    where alpha_m and alpha_n have their removable singularities."""
    rng = np.random.default_rng(1)
    pts = np.column_stack([rng.uniform(-90, 40, 20), rng.uniform(0.05, 0.9, 20)])
    pts = np.vstack([pts, [[-40.0, 0.3], [-55.0, 0.4]]])
    for red in (reduced_hh(), reduced_hh(h=0.45), reduced_hh(HodgkinHuxley(temperature=20))):
        for y in pts:
            J = red.jacobian(y, 3.0)
            # step 1e-5 relative: near V = -40 mV smaller steps meet rounding in alpha_m
            fd = fd_jacobian(lambda s, r=red: r.rhs(s, 3.0), y, eps=1e-5)
            np.testing.assert_allclose(J, fd, rtol=1e-5, atol=1e-7)
        Jb = red.jacobian(pts.T, 3.0)
        assert Jb.shape == (2, 2, len(pts))


def test_reduced_hh_fixed_h_keeps_the_full_rest_state():
    """With h fixed at its resting value, the reduced plane has the full model's rest
    (V, n) as an equilibrium: at rest m = m_inf(V), h = h_inf(V) and n = n_inf(V)."""
    full = HodgkinHuxley()
    rest = full.rest(0.0)
    red = reduced_hh(full, h=float(rest[2]))
    eq = np.array(red.equilibria(0.0))
    d = np.min(np.abs(eq - rest[[0, 3]]).max(axis=1))
    assert d < 1e-8
    np.testing.assert_allclose(red.full_state(rest[[0, 3]]), rest, atol=1e-9)
    # h(n) in the full state follows the linear fit
    np.testing.assert_allclose(reduced_hh(full).full_state([-60.0, 0.4])[2], 0.89 - 0.44)


def test_reduced_hh_linear_h_of_n_fits_a_full_spike_train():
    """Rinzel (1985): h + n stays nearly constant in the Hodgkin-Huxley model; the fit
    h = 0.89 - 1.1 n (Izhikevich 2007, sec. 5.2). A least-squares line of h against n
    over a simulated spike train (I = 10 uA/cm2) recovers it within 0.03 / 0.1."""
    tr = simulate(HodgkinHuxley(), 80.0, current=10.0)
    sel = tr.t > 20.0
    slope, intercept = np.polyfit(tr.n[sel], tr.h[sel], 1)
    assert HodgkinHuxley.reductions[HH_PLANE].eliminate["h"] == "0.89 - 1.1*n"
    assert intercept == pytest.approx(0.89, abs=0.03)
    assert slope == pytest.approx(-1.1, abs=0.1)


def test_plane_functions_accept_reduced_keyword():
    """reduced='h(n)' on HodgkinHuxley and the reduced model itself give the same plane."""
    hh = HodgkinHuxley()
    X1, Y1, U1, V1 = vector_field(hh, 5.0, (-80, 40), (0, 1), n=7, reduced="h(n)")
    X2, Y2, U2, V2 = vector_field(reduced_hh(hh), 5.0, (-80, 40), (0, 1), n=7)
    np.testing.assert_array_equal(U1, U2)
    np.testing.assert_array_equal(V1, V2)
    fp_a = fixed_points(hh, 0.0, reduced={"m": "m_inf", "h": 0.6})
    fp_b = fixed_points(reduced_hh(hh, h=0.6), 0.0)
    np.testing.assert_allclose([f.state for f in fp_a], [f.state for f in fp_b])


# ----------------------------------------------------------------------------- field, nullclines
def test_vector_field_equals_rhs_on_the_grid():
    """Each arrow is model.rhs at its grid point (pointwise evaluation as the reference)."""
    model = INaPK()
    X, Y, U, V = vector_field(model, 2.0, (-80, 10), (0.0, 0.7), n=9)
    assert X.shape == Y.shape == U.shape == V.shape == (9, 9)
    assert X[0, 0] == -80 and X[0, -1] == 10 and Y[-1, 0] == 0.7
    for i, j in [(0, 0), (3, 5), (8, 8)]:
        f = model.rhs(np.array([X[i, j], Y[i, j]]), 2.0)
        assert U[i, j] == pytest.approx(f[0]) and V[i, j] == pytest.approx(f[1])


@pytest.mark.parametrize("model, I, xlim, ylim, reduced", [
    (FitzHughNagumo(), 0.4, (-2.5, 2.5), (-1.0, 2.0), None),
    (Izhikevich(), 2.0, (-90, 0), (-20, 0), None),
    (INaPK(), 3.0, (-100, 20), (-0.2, 0.8), None),
    (INaPK(g_K=0.0), 3.0, (-100, 20), (-0.2, 1.0), None),   # V-nullcline by contour
    (HodgkinHuxley(), 5.0, (-90, 40), (0.0, 1.0), "h(n)"),  # V-nullcline by contour
    (HodgkinHuxley(), 5.0, (-90, 40), (0.0, 1.0), {"m": "m_inf", "h": 0.5}),
])
def test_nullcline_points_zero_the_right_hand_side(model, I, xlim, ylim, reduced):
    """Every nullcline vertex makes its component of the right-hand side vanish (to the
    grid's resolution for contours) and lies in the window (up to one edge point)."""
    nc = nullclines(model, I, xlim, ylim, n=400, reduced=reduced)
    system = model.reduce(reduced) if reduced else model
    X, Y, U, V = vector_field(system, I, xlim, ylim, n=60)
    for k, lines in enumerate((nc.x_nullcline, nc.y_nullcline)):
        if isinstance(model, INaPK) and model.g_K == 0.0 and k == 0:
            # with g_K = 0 the V-nullclines are vertical lines at the roots of the 1-D model
            assert lines
        comp = U if k == 0 else V
        if np.any(comp > 0) and np.any(comp < 0):
            assert lines, "a sign change in the window must give a nullcline"
        for p in lines:
            f = system.rhs(p.T, I)[k]
            typical = np.max(np.abs(comp))
            assert np.max(np.abs(f)) < 2e-2 * typical
            assert np.all(p[1:-1, 0] >= xlim[0] - 1e-9) and np.all(p[1:-1, 0] <= xlim[1])


def test_inapk_v_nullcline_is_cut_at_its_pole():
    """The V-nullcline n(V) of I_Na,p + I_K has a pole at V = E_K: no polyline crosses it."""
    model = INaPK()
    nc = nullclines(model, 0.0, (-100, 20), (-5, 5), n=801)
    for p in nc.x_nullcline:
        assert np.all(p[:, 0] < model.E_K) or np.all(p[:, 0] > model.E_K)
    assert len(nc.x_nullcline) >= 2


# ----------------------------------------------------------------------------- trace-det
def test_trace_determinant_points_and_boundaries():
    """(tr, det) are the trace and determinant of each Jacobian; the boundary parabola is
    det = tr^2 / 4; the kinds agree with the regions (saddle below det = 0, foci above
    the parabola, nodes between)."""
    td = trace_determinant(INaPK(), 0.0)
    fps = fixed_points(INaPK(), 0.0)
    for (t, d), fp, kind in zip(td.points, fps, td.kinds, strict=True):
        assert t == pytest.approx(np.trace(fp.jacobian))
        assert d == pytest.approx(np.linalg.det(fp.jacobian))
        assert kind == fp.kind
        if kind == "saddle":
            assert d < 0
        elif "focus" in kind:
            assert d > t * t / 4
        else:
            assert 0 < d <= t * t / 4
    np.testing.assert_allclose(td.parabola[:, 1], td.parabola[:, 0] ** 2 / 4)
    assert td.tr_lim[0] <= td.points[:, 0].min() and td.points[:, 0].max() <= td.tr_lim[1]
    one = trace_determinant([[0.0, 1.0], [-1.0, 0.0]])
    assert one.kinds == ["center"] and tuple(one.points[0]) == (0.0, 1.0)
    with pytest.raises(ValueError, match="2 x 2"):
        trace_determinant(np.eye(3))


# ----------------------------------------------------------------------------- separatrix
def _spikes_from(model, y0, I, duration=60.0):
    return simulate(model, duration, current=I, y0=y0).spike_times.size


@pytest.mark.parametrize("model, I", [(INaPK(), 0.0), (Izhikevich.preset("RS"), 0.0)])
def test_separatrix_is_a_threshold(model, I):
    """The stable manifold of the saddle is the threshold of an integrator (Izhikevich
    2007, ch. 4 and 6). It is invariant: the vector field is tangent to it at every
    vertex. Points just on either side of it go different ways: one straight back to
    rest, one firing a spike first (counted by direct simulation)."""
    saddle = [fp for fp in fixed_points(model, I) if fp.kind == "saddle"][0]
    curves = separatrix(model, I)
    assert len(curves) == 2
    scale = np.array([np.ptp(np.concatenate([c[:, 0] for c in curves])),
                      np.ptp(np.concatenate([c[:, 1] for c in curves]))])
    for c in curves:
        np.testing.assert_allclose(c[0], saddle.state)
        assert len(c) > 20
        tangent = np.diff(c[1:], axis=0) / scale
        f = model.rhs(0.5 * (c[1:-1] + c[2:]).T, I).T / scale
        cross = tangent[:, 0] * f[:, 1] - tangent[:, 1] * f[:, 0]
        sin = np.abs(cross) / (np.linalg.norm(tangent, axis=1) * np.linalg.norm(f, axis=1))
        assert np.median(sin) < 1e-2
    branch = min(curves, key=lambda c: c[-1, 0])  # the branch reaching low V
    d0 = np.max(np.abs(branch - saddle.state) / scale, axis=1)
    k = int(np.argmin(np.abs(d0 - 0.1)))
    p = branch[k]
    tangent = (branch[k + 1] - branch[k - 1]) / scale
    normal = np.array([-tangent[1], tangent[0]]) / np.linalg.norm(tangent) * scale
    counts = sorted(_spikes_from(model, p + s * 0.01 * normal, I) for s in (1, -1))
    assert counts[0] == 0 and counts[1] >= 1


def test_point_on_separatrix_runs_to_the_saddle():
    """A point on the I_Na,p + I_K stable manifold, run forward, slides along it into the
    saddle (the definition of the stable manifold; the eigenvalues -0.96 and 2.0 per ms
    let an accurate run get ten times closer before it is thrown off)."""
    model = INaPK()
    saddle = fixed_points(model, 0.0)[1]
    branch = min(separatrix(model, 0.0), key=lambda c: c[-1, 0])
    scale = np.array([120.0, 1.0])
    d0 = np.max(np.abs(branch - saddle.state) / scale, axis=1)
    k = int(np.argmin(np.abs(d0 - 0.05)))
    run = simulate(model, 10.0, current=0.0, y0=branch[k], dt=0.001)
    d = np.max(np.abs(run.y.T - saddle.state) / scale, axis=1)
    assert d.min() < 0.1 * d0[k]


def test_separatrix_divides_basins_of_rest_and_spiking():
    """With a fast potassium gate (tau = 0.16 ms) I_Na,p + I_K at I = 4 is bistable: rest
    and repetitive spiking coexist (checked by direct simulation: a run from near the
    unstable focus keeps firing), and the saddle's stable manifold separates them."""
    model, I = INaPK(tau=0.16), 4.0
    fps = fixed_points(model, I)
    assert [fp.kind for fp in fps] == ["stable node", "saddle", "unstable focus"]
    assert simulate(model, 100.0, current=I, y0=fps[2].state + [0.5, 0]).rate(50) > 100
    curves = separatrix(model, I, fps[1], xlim=(-100, 20), ylim=(-0.1, 0.8))
    branch = min(curves, key=lambda c: c[-1, 0])
    p = branch[len(branch) // 3]
    tangent = branch[len(branch) // 3 + 1] - branch[len(branch) // 3 - 1]
    scale = np.array([120.0, 0.9])
    t = tangent / scale
    normal = np.array([-t[1], t[0]]) / np.linalg.norm(t) * scale
    rates = sorted(simulate(model, 100.0, current=I, y0=p + s * 0.01 * normal).rate(50)
                   for s in (1, -1))
    assert rates[0] == 0 and rates[1] > 100


def test_separatrix_none_and_not_a_saddle():
    """FitzHugh-Nagumo at I = 0 has a single stable focus: no saddle, no separatrix;
    asking for the manifold of a non-saddle is an error naming it."""
    assert separatrix(FitzHughNagumo(), 0.0) == []
    fp = fixed_points(FitzHughNagumo(), 0.0)[0]
    with pytest.raises(ValueError, match="stable focus"):
        separatrix(FitzHughNagumo(), 0.0, fp)


def test_unstable_manifold_goes_to_the_attractors():
    """The unstable manifold of the I_Na,p + I_K saddle at I = 0 leaves it along the two
    opposite rays: one branch decays to rest, the other makes the spike excursion
    (reaching V > -20 mV) before also returning towards rest (Izhikevich 2007, ch. 4)."""
    model = INaPK()
    rest = fixed_points(model, 0.0)[0].state
    curves = separatrix(model, 0.0, manifold="unstable", xlim=(-100, 20), ylim=(-0.1, 1),
                        t_max=100.0)
    assert len(curves) == 2
    peaks = sorted(c[:, 0].max() for c in curves)
    assert peaks[0] < -50 and peaks[1] > -20
    for c in curves:
        assert np.max(np.abs(c[-1] - rest) / [120, 1.1]) < 0.01


# ----------------------------------------------------------------------------- trajectory
def test_trajectory_wraps_simulate_and_reduced_plane():
    """For a model, trajectory is simulate(...) from y0; for the reduced HH plane at
    I = 0 (a stable focus) it spirals into the reduced equilibrium."""
    m = FitzHughNagumo()
    a = trajectory(m, 0.5, [0.0, 0.0], 50.0)
    b = simulate(m, 50.0, current=0.5, y0=[0.0, 0.0])
    np.testing.assert_array_equal(a.v, b.v)
    red = reduced_hh()
    eq = fixed_points(red, 0.0)
    assert [fp.kind for fp in eq] == ["stable focus"]
    tr = trajectory(red, 0.0, [-60.0, 0.35], 200.0, dt=0.05)
    assert tr.V[-1] == pytest.approx(eq[0].state[0], abs=1e-3)
    assert tr.n[-1] == pytest.approx(eq[0].state[1], abs=1e-5)
    full = trajectory(HodgkinHuxley(), 0.0, [-50.0, 0.32], 5.0)  # plane point (V, n)
    assert full.V[0] == -50.0 and full.n[0] == 0.32


# ----------------------------------------------------------------------------- basins
def test_basins_agree_with_single_runs():
    """Labels of a basin grid (one batch) equal what individual simulate runs from the
    same starting points do (same step): rest, or still firing late in the run."""
    model, I = INaPK(tau=0.16), 4.0
    X, Y, labels, attractors = basins(model, I, (-80, 10), (-0.1, 0.7), n=12,
                                      duration=60.0, dt=0.05)
    assert attractors[-1] == "spiking" and attractors[0].kind == "stable node"
    assert set(np.unique(labels)) == {0, 1}
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 12, size=(8, 2)):
        tr = simulate(model, 60.0, current=I, y0=[X[i, j], Y[i, j]], dt=0.05)
        firing = np.count_nonzero(tr.spike_times >= 30.0) >= 2
        assert (labels[i, j] == 1) == firing
        if not firing:
            np.testing.assert_allclose(tr.y[:, -1], attractors[0].state, atol=0.05 * 90)


def test_basins_hodgkin_huxley_plane_and_single_attractor():
    """FitzHugh-Nagumo at I = 0 has one attractor (a stable focus): every start ends
    there. Hodgkin-Huxley basins in the (V, n) plane with m, h at rest end at rest."""
    X, Y, labels, att = basins(FitzHughNagumo(), 0.0, (-2, 2), (-1, 2), n=8)
    assert np.all(labels == 0) and att[0].kind == "stable focus"
    X, Y, labels, att = basins(HodgkinHuxley(), 0.0, (-80, -50), (0.25, 0.45), n=5,
                               duration=100.0)
    assert np.all(labels == 0)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, name", [
    (lambda: vector_field(INaPK(), 0.0, (10, -80), (0, 1)), "xlim"),
    (lambda: vector_field(INaPK(), 0.0, (-80, 10), (0, 1), n=1), "n"),
    (lambda: vector_field(HodgkinHuxley(), 0.0, (-80, 10), (0, 1)), "reduced"),
    (lambda: nullclines(INaP(), 0.0, (-80, 10), (0, 1)), "two-dimensional"),
    (lambda: nullclines(INaPK(), 0.0, (-80, 10), (1, 0)), "ylim"),
    (lambda: fixed_points(INaPK(), float("nan")), "I"),
    (lambda: fixed_points(FitzHughNagumo(), 0.0, reduced="h(n)"), "reduced"),
    (lambda: vector_field(HodgkinHuxley(), 0.0, (-80, 10), (0, 1), reduced=1.5), "reduced"),
    (lambda: separatrix(INaPK(), 0.0, manifold="both"), "manifold"),
    (lambda: basins(INaP(), 0.0, (-80, 10), (0, 1)), "two states"),
    (lambda: basins("INaPK", 0.0, (-80, 10), (0, 1)), "model"),
    (lambda: basins(INaPK(), 0.0, (-80, 10), (0, 1), n=10, dt=5.0), "dt"),
    (lambda: trajectory(HodgkinHuxley(), 0.0, [1.0, 2.0, 3.0], 10.0), "y0"),
    (lambda: fixed_points(HodgkinHuxley(), 0.0, reduced={"x": 0.5}), "x"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
