"""define_model: a model typed as equations is a model like the built-in ones.

Independent references: the built-in models (a user's copy of one must give the same
right-hand side, Jacobian, equilibria, bifurcations and spikes), closed-form solutions
of linear systems (matrix exponential), central finite differences, and a direct
evaluation of random expressions with Python's math module.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurolab.analysis import bifurcations, fixed_points, nullclines
from neurolab.models import LIF, INaPK, Izhikevich, define_model, param, registered
from neurolab.simulate import simulate


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """Generated engines of throw-away models go to a temporary folder."""
    monkeypatch.setenv("NEUROLAB_CACHE_DIR", str(tmp_path / "engines"))
    return tmp_path / "engines"


# ----------------------------------------------------------------------------- copies
INAPK_TEXT = """
# I_Na,p + I_K written with other names and another arrangement of the same terms
dV/dt = (I - gl*(V - El) - gna*(V - Ena)/(1 + exp((mh - V)/mk)) - gk*n*(V - Ek)) / Cm
dn/dt = (ninf - n) / taun
ninf = 1/(1 + exp((nh - V)/nk))
"""


def _inapk_copy():
    ref = INaPK()
    names = {"Cm": "C", "gl": "g_L", "El": "E_L", "gna": "g_Na", "Ena": "E_Na",
             "mh": "m_half", "mk": "m_k", "gk": "g_K", "Ek": "E_K", "nh": "n_half",
             "nk": "n_k", "taun": "tau"}
    Copy = define_model("INaPKCopy", INAPK_TEXT,
                        {k: getattr(ref, v) for k, v in names.items()},
                        equilibrium_window=INaPK.equilibrium_window,
                        spike_threshold=INaPK.spike_threshold, default_dt=ref.default_dt,
                        max_dt=INaPK.max_dt, register_model=False)
    return ref, Copy()


def test_copy_of_a_builtin_has_the_same_equations_and_dynamics():
    """A user's I_Na,p + I_K (other names, other arrangement) against the built-in:
    right-hand side and Jacobian at random states, equilibria and their kinds, the
    bifurcations on 0-10 uA/cm2 (SNIC near 4.51) and the spike times of a run."""
    ref, copy = _inapk_copy()
    rng = np.random.default_rng(3)
    Y = np.vstack([rng.uniform(-90, 30, 200), rng.uniform(0, 1, 200)])
    I = rng.uniform(-5, 40, 200)
    np.testing.assert_allclose(copy.rhs(Y, I), ref.rhs(Y, I), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(copy.jacobian(Y, I), ref.jacobian(Y, I), rtol=1e-10,
                               atol=1e-12)
    for current in (0.0, 3.0):
        a, b = fixed_points(ref, current), fixed_points(copy, current)
        assert [p.kind for p in a] == [p.kind for p in b]
        np.testing.assert_allclose([p.state for p in a], [p.state for p in b], atol=1e-9)
    ba = bifurcations(ref, I_range=(0.0, 10.0))
    bb = bifurcations(copy, I_range=(0.0, 10.0))
    assert [x.kind for x in ba] == [x.kind for x in bb]
    np.testing.assert_allclose([x.I for x in ba], [x.I for x in bb], rtol=1e-8)
    ta = simulate(ref, 200.0, current=8.0)
    tb = simulate(copy, 200.0, current=8.0)
    assert len(ta.spike_times) > 5
    np.testing.assert_allclose(tb.spike_times, ta.spike_times, atol=1e-9)


def test_copy_of_a_hybrid_builtin_spikes_the_same():
    """LIF and Izhikevich typed by a user, with threshold/reset strings: same spikes."""
    UserLIF = define_model(
        "UserLIF", "dV/dt = (-(V - E_L) + R * I) / tau_m",
        {"tau_m": 10.0, "R": 10.0, "E_L": -65.0, "V_th": -50.0, "V_reset": -65.0,
         "t_ref": 2.0},
        current_unit="nA", threshold="V >= V_th", reset="V = V_reset", refractory="t_ref",
        default_dt=0.05, register_model=False)
    a = simulate(LIF(), 300.0, current=2.0)
    b = simulate(UserLIF(), 300.0, current=2.0)
    assert len(a.spike_times) > 10
    # the built-in's rest E_L + R I is closed form, the copy's found by bisection
    np.testing.assert_allclose(b.spike_times, a.spike_times, atol=1e-9)
    UserIzh = define_model(
        "UserIzh", "dv/dt = 0.04*v**2 + 5*v + 140 - u + I\ndu/dt = a*(b*v - u)",
        {"a": 0.02, "b": 0.2, "c": -50.0, "d": 2.0}, threshold="v >= 30",
        reset="v = c; u = u + d", current_unit="a.u.", default_dt=0.05,
        register_model=False)
    ref = Izhikevich.preset("CH")
    a = simulate(ref, 300.0, current=10.0)
    b = simulate(UserIzh(), 300.0, current=10.0)
    assert len(a.spike_times) > 10
    np.testing.assert_allclose(b.spike_times, a.spike_times, atol=1e-9)


# ----------------------------------------------------------------------------- states
def _chain_text(n: int) -> str:
    """n linearly coupled compartments: dx_i/dt = (x_{i-1} - 2 x_i + x_{i+1}) k - x_i/tau."""
    lines = []
    for i in range(n):
        left = f"x{i - 1}" if i > 0 else "I"
        right = f" + x{i + 1}" if i < n - 1 else ""
        lines.append(f"dx{i}/dt = k*({left} - 2*x{i}{right}) - x{i}/tau")
    return "\n".join(lines)


@pytest.mark.parametrize("n", [1, 3, 8])
def test_any_number_of_states_matches_the_matrix_exponential(n, private_cache):
    """A linear chain of n states (3 used to overrun the engine's state array; 8 is the
    issue's minimum) integrated by RK4 against the exact solution expm(A t) of
    x' = A x + b I, its Jacobian against A, and its only equilibrium against
    solve(A, -b I)."""
    from scipy.linalg import expm

    k, tau, I = 0.3, 5.0, 2.0
    Chain = define_model(f"Chain{n}", _chain_text(n), {"k": k, "tau": tau},
                         units={f"x{i}": "mV" for i in range(n)}, register_model=False)
    model = Chain()
    A = np.zeros((n, n))
    for i in range(n):
        A[i, i] = -2 * k - 1 / tau
        if i:
            A[i, i - 1] = k
        if i < n - 1:
            A[i, i + 1] = k
    b = np.zeros(n)
    b[0] = k
    y0 = np.linspace(-1.0, 1.0, n)
    np.testing.assert_allclose(model.jacobian(y0, I), A, atol=1e-15)
    tr = simulate(model, 20.0, current=I, y0=y0, dt=0.01, method="rk4")
    x_inf = np.linalg.solve(A, -b * I)
    exact = x_inf + expm(A * 20.0) @ (y0 - x_inf)
    np.testing.assert_allclose(tr.y[:, -1], exact, rtol=1e-8, atol=1e-10)
    eq = model.equilibria(I, window=(-10, 10))
    assert len(eq) == 1
    np.testing.assert_allclose(eq[0], x_inf, atol=1e-9)
    np.testing.assert_allclose(model.rest(I), x_inf, atol=1e-9)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("equations, parameters, kwargs, message", [
    ("dV/dt = -g*(V - E) + I + foo", {"g": 1.0, "E": 0.0}, {},
     r"unknown symbol 'foo' in the equation of V"),
    ("dV/dt = -g*(V - E + I", {"g": 1.0, "E": 0.0}, {}, r"syntax error in the equation"),
    ("dV/dt = -g*V^2", {"g": 1.0}, {}, r"'\^' is not a power here; write '\*\*'"),
    ("dV/dt = -g*bessel(V)", {"g": 1.0}, {}, r"unknown function 'bessel'"),
    ("dV/dt = -V + w\ndw/dt = -w", {"V": 1.0}, {}, r"parameter 'V' has the name of a state"),
    ("dV/dt = -V + x\nx = 2*y\ny = x", {}, {}, r"circular: x -> y -> x"),
    ("dV/dt = -V\nw = 2", {}, {"units": {"w": "mV"}},
     r"units names 'w', which has no equation 'dw/dt"),
    ("dV/dt = -V", {"b": 1.0}, {"threshold": "V >= 1", "reset": "V = 0; w = w + b"},
     r"'w' is not a state"),
    ("dV/dt = -V", {}, {"threshold": "w >= 1", "reset": "V = 0"}, r"'w' is not a state"),
    ("dV/dt = -V", {}, {"threshold": "V >= V", "reset": "V = 0"},
     r"threshold may depend on parameters only, but uses V"),
    ("dV/dt = -V", {}, {"threshold": "V >= 1"}, r"needs both threshold= and reset="),
    ("dV/dt = -V\ndV/dt = V", {}, {}, r"'V' is defined twice"),
    ("V = 3", {}, {}, r"at least one 'dX/dt = expression' line"),
    ("dV/dt = -V*t", {}, {}, r"unknown symbol 't'.*autonomous"),
    ("dV/dt = __import__('os')", {}, {}, r"unknown function '__import__'"),
    ("dV/dt = V.real", {}, {}, r"not allowed"),
    ("dV/dt = -V", {"g": "x"}, {}, r"parameter 'g' must be a number"),
    ("dV/dt = -V", {"I": 1.0}, {}, r"reserved for the injected current"),
])
def test_bad_definitions_raise_value_error_naming_the_problem(equations, parameters,
                                                             kwargs, message,
                                                             private_cache):
    with pytest.raises(ValueError, match=message):
        define_model("Bad", equations, parameters, register_model=False, **kwargs)


# ----------------------------------------------------------------------------- cache
def test_a_second_process_loads_the_model_without_sympy_or_compiling(private_cache):
    """The compiled code is cached under a key made from the equations: a fresh process
    that defines the same model imports no sympy and loads every function it runs
    from numba's cache (no compilation)."""
    script = textwrap.dedent("""
        import sys
        from neurolab.models import define_model
        from neurolab.simulate import simulate
        M = define_model("Cached", '''
        dV/dt = (I - g*(V - E) - gx*w*(V - E))/C
        dw/dt = (1/(1 + exp(-(V + 40)/5)) - w)/tw
        ''', {"g": 0.3, "E": -65.0, "gx": 1.0, "C": 1.0, "tw": 20.0},
        register_model=False)
        tr = simulate(M(), 50.0, current=1.0)
        engine = M()._engine
        print("sympy" in sys.modules, sum(len(d.stats.cache_misses) for d in
              (engine.integrate, engine.rhs_many, engine.jac_many)), len(tr.t))
    """)
    env = dict(os.environ, NEUROLAB_CACHE_DIR=str(private_cache))
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[0] == "True" and int(first[1]) > 0  # generated and compiled
    assert second == ["False", "0", first[2]]


def test_changed_equations_make_a_new_engine(private_cache):
    a = define_model("KeyA", "dV/dt = -V + I", {}, register_model=False)
    b = define_model("KeyB", "dV/dt = -2*V + I", {}, register_model=False)
    c = define_model("KeyC", "dV/dt   =  -V+I", {}, register_model=False)
    assert a._definition.key != b._definition.key
    assert a._definition.key == c._definition.key  # layout does not matter
    assert a().rhs([1.0], 0.0)[0] == -1.0 and b().rhs([1.0], 0.0)[0] == -2.0


# ----------------------------------------------------------------------------- registry
def test_a_defined_model_is_registered_and_explorable(private_cache):
    """register_model=True (the default) puts the class in the playground's menu; the
    explorer draws its phase plane with the model's nullclines."""
    from neurolab.models import registry
    from neurolab.widgets import explorer

    Toy = define_model("ToyFHN", "dv/dt = v - v**3/3 - w + I\ndw/dt = 0.08*(v + 0.7 - 0.8*w)",
                       {}, current_unit="", time_unit="", units={"v": "", "w": ""},
                       spike_threshold=1.0, spike_rearm=1.0, title="toy FitzHugh-Nagumo",
                       equilibrium_window=(-3, 3), start_current=0.5)
    try:
        assert registered()["ToyFHN"] is Toy
        app = explorer(Toy())
        assert app.error == ""
        assert app.panels["phase"].points
        nc = nullclines(Toy(), 0.5, (-2.5, 2.5), (-1, 2))
        assert nc.x_nullcline and nc.y_nullcline
    finally:
        registry._MODELS.pop("ToyFHN", None)


# ----------------------------------------------------------------------------- random
_LEAVES = st.sampled_from(["x0", "x1", "x2", "a", "b", "c", "I", "0.5", "2", "1.5"])
_UNARY = st.sampled_from(["tanh", "sin", "cos", "-"])
_BINARY = st.sampled_from(["+", "-", "*"])


def _expr(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _LEAVES
    sub = _expr(depth - 1)
    return st.one_of(
        _LEAVES,
        st.tuples(_UNARY, sub).map(lambda t: f"-({t[1]})" if t[0] == "-" else
                                   f"{t[0]}({t[1]})"),
        st.tuples(sub, _BINARY, sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda e: f"({e})**2"),
        st.tuples(sub, sub).map(lambda t: f"{t[0]} / (2 + ({t[1]})**2)"),
    )


@settings(max_examples=8, deadline=None)
@given(n=st.integers(1, 3), exprs=st.lists(_expr(3), min_size=3, max_size=3),
       values=st.lists(st.floats(-2, 2), min_size=3, max_size=3),
       point=st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_random_models_evaluate_and_differentiate_exactly(n, exprs, values, point,
                                                         tmp_path_factory):
    """Random expression trees as equations: the compiled right-hand side equals a
    direct evaluation of the same text with Python's math module, and the exact
    Jacobian equals central finite differences of that evaluation. States the
    equations do not use are fine; a wrong sign, factor or derivative rule would fail."""
    os.environ["NEUROLAB_CACHE_DIR"] = str(tmp_path_factory.getbasetemp() / "random")
    try:
        def states(e: str) -> str:  # x_k -> s_(k mod n): every name is a real state
            return re.sub(r"x(\d)", lambda m: f"s{int(m.group(1)) % n}", e)

        lines = [f"ds{i}/dt = {states(exprs[i])} - s{i}" for i in range(n)]
        text = "\n".join(lines)
        M = define_model("Random", text, dict(zip("abc", values, strict=True)),
                         units={f"s{i}": "" for i in range(n)}, register_model=False)
        model = M()
        y = np.array(point[:n])
        I = point[3]
        env = {"tanh": math.tanh, "sin": math.sin, "cos": math.cos,
               **dict(zip("abc", values, strict=True)), "I": I}

        def direct(yy):
            local = {**env, **{f"s{i}": yy[i] for i in range(n)}}
            return np.array([eval(line.split("=", 1)[1], {}, local) for line in lines])

        np.testing.assert_allclose(model.rhs(y, I), direct(y), rtol=1e-12, atol=1e-12)
        J = model.jacobian(y, I)
        for j in range(n):
            h = 1e-6
            yp, ym = y.copy(), y.copy()
            yp[j] += h
            ym[j] -= h
            fd = (direct(yp) - direct(ym)) / (2 * h)
            np.testing.assert_allclose(J[:, j], fd, rtol=1e-5, atol=1e-6)
    finally:
        del os.environ["NEUROLAB_CACHE_DIR"]


def test_parameter_metadata_for_plain_numbers():
    """A plain number gets a slider from 0 to twice it (or 2v to 0) whose grid holds
    the default exactly; param(...) keeps its metadata."""
    M = define_model("Meta", "dV/dt = -(V - E)/tau + I/C",
                     {"E": -54.387, "tau": 12.5, "C": param(1.0, "C", "uF/cm2", (0.5, 2),
                                                           0.05, "capacitance")},
                     register_model=False)
    info = M.parameter_info()
    assert info["tau"].slider == (0.0, 25.0)
    assert info["E"].slider == (-108.774, 0.0)
    for name, p in info.items():
        k = (getattr(M(), name) - p.slider[0]) / p.step
        assert abs(k - round(k)) < 1e-6, name
    assert info["C"].unit == "uF/cm2" and info["C"].meaning == "capacitance"


def test_division_by_zero_is_a_diverged_run_or_a_value_error(private_cache):
    """A denominator that vanishes in the loop makes the state non-finite, which the
    engine reports as a diverged simulation (numba's Python error model would raise
    ZeroDivisionError from compiled code); a parameter-only constant that divides by
    zero is a ValueError naming the parameters."""
    from neurolab.simulate import SimulationDiverged

    M = define_model("DivZero", "dV/dt = -V / tau_of_V + I\ntau_of_V = V - 1", {},
                     register_model=False)
    with pytest.raises(SimulationDiverged, match="diverged"):
        simulate(M(), 10.0, current=0.0, y0=[1.0], dt=0.1)
    N = define_model("ZeroTau", "dV/dt = -V / tau + I", {"tau": 0.0},
                     register_model=False)
    with pytest.raises(ValueError, match=r"ZeroTau: these parameter values .*tau"):
        N().rhs([1.0], 0.0)
