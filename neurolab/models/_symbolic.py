"""Symbolic form of a model: expressions, the exact Jacobian, and what can be solved.

Only imported when a model's compiled code is not in the cache yet (sympy costs about a
quarter of a second to import). Each expression is read with Python's own parser into a
syntax tree, checked node by node (only numbers, names, arithmetic and the functions of
:data:`neurolab.models._language.FUNCTIONS`), and built into a sympy expression; nothing
in an equation is ever evaluated as Python. Decimal literals become exact rationals, so
``(V + 65)/18`` keeps the coefficient 1/18 exactly (the code generator uses that to share
one exponential among several rate functions).

Besides the right-hand side and its Jacobian, the model's structure is solved where
possible: the curve of states on which every equation but the first vanishes (for the
equilibrium scan), and, for two states, each nullcline as a graph ``num + den * y = 0``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ._language import CURRENT, FUNCTIONS, Equations, Threshold

__all__ = ["Symbolic", "build", "xe", "xe1"]


class xe(sp.Function):  # noqa: N801 - printed as a helper of the generated code
    """z / (exp(z) - 1), with its removable singularity at z = 0 (value 1)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return xe1(self.args[0])

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z.is_zero:
            return sp.Integer(1)
        return None


class xe1(sp.Function):  # noqa: N801
    """Derivative of :class:`xe`: (exp(z) - 1 - z exp(z)) / (exp(z) - 1)^2 (-1/2 at 0)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        z = self.args[0]
        e = sp.exp(z)
        return sp.diff((e - 1 - z * e) / (e - 1) ** 2, z)

    @classmethod
    def eval(cls, z: sp.Expr) -> sp.Expr | None:
        if z.is_zero:
            return sp.Rational(-1, 2)
        return None


def _vtrap(x: sp.Expr, y: sp.Expr) -> sp.Expr:
    """vtrap(x, y) = x / (exp(x / y) - 1) = y * xe(x / y) (as in NEURON's hh.mod)."""
    return y * xe(x / y)


_SYMPY_FUNCTIONS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh, "cosh": sp.cosh,
    "sinh": sp.sinh, "tan": sp.tan, "sin": sp.sin, "cos": sp.cos, "abs": sp.Abs,
    "min": sp.Min, "max": sp.Max, "vtrap": _vtrap,
}


@dataclass
class Symbolic:
    """Everything the code generator needs, as sympy expressions.

    Attributes
    ----------
    states, params : tuple of sympy.Symbol
        Code symbols ``y0, y1, ...`` and ``p0, p1, ...`` in model order.
    current : sympy.Symbol
        The injected current.
    rhs : list of sympy.Expr
        dy_i/dt, helpers substituted.
    jacobian : list of list of sympy.Expr
        d rhs_i / d y_j.
    dfdI : list of sympy.Expr
        d rhs_i / d I.
    slaved : list of sympy.Expr or None
        For states 1..n-1 as functions of state 0 (and I) on the curve where their own
        equations vanish; None if that curve has no closed form here.
    nullclines : list or None
        For two states: per equation, ``(axis, num, den)`` with the equation equal to
        ``num + den * s`` where ``s`` is state ``axis`` (1: a graph over state 0;
        0: a graph over state 1), or None where neither is linear.
    helpers : dict of str to sympy.Expr
        Each helper in terms of states, parameters and I.
    threshold : sympy.Expr or None
        The spike level of a hybrid model (parameters only).
    reset : list of sympy.Expr or None
        New value of every state at a reset (unchanged states map to themselves).
    refractory : sympy.Expr or None
        Refractory period (parameters only).
    full : list of sympy.Expr
        Every state of the full model (before a reduction) in terms of the kept ones.
    """

    states: tuple[sp.Symbol, ...]
    params: tuple[sp.Symbol, ...]
    current: sp.Symbol
    rhs: list[sp.Expr]
    jacobian: list[list[sp.Expr]]
    dfdI: list[sp.Expr]
    slaved: list[sp.Expr] | None
    nullclines: list[tuple[int, sp.Expr, sp.Expr] | None] | None
    helpers: dict[str, sp.Expr] = field(default_factory=dict)
    threshold: sp.Expr | None = None
    reset: list[sp.Expr] | None = None
    refractory: sp.Expr | None = None
    full: list[sp.Expr] = field(default_factory=list)
    #: The texts as written, for printing the time loop's arithmetic exactly
    #: (:mod:`neurolab.models._source`): kept state names, their right-hand sides,
    #: helper and eliminated-state definitions, reset assignments (state index, text),
    #: parameter names, and the reader that parsed them.
    source: dict[str, Any] = field(default_factory=dict)


class _Reader:
    """Builds sympy expressions from expression text, resolving helpers on demand."""

    def __init__(self, states: tuple[str, ...], params: tuple[str, ...],
                 helpers: dict[str, str], replaced: dict[str, str]) -> None:
        self.state_names = states
        self.param_names = params
        self.helper_text = helpers
        self.replaced_text = replaced
        self.env: dict[str, sp.Expr] = {}
        kept = [s for s in states if s not in replaced]
        for i, name in enumerate(kept):
            self.env[name] = sp.Symbol(f"y{i}", real=True)
        for i, name in enumerate(params):
            self.env[name] = sp.Symbol(f"p{i}", real=True)
        self.env[CURRENT] = sp.Symbol("I", real=True)
        self.env["pi"] = sp.pi
        self._resolving: list[str] = []
        self._done: dict[str, sp.Expr] = {}

    # -- names ------------------------------------------------------------------
    def known(self) -> str:
        parts = [f"states {', '.join(self.state_names)}"]
        if self.param_names:
            parts.append(f"parameters {', '.join(self.param_names)}")
        if self.helper_text:
            parts.append(f"helpers {', '.join(self.helper_text)}")
        parts.append(f"the current {CURRENT}")
        return "; ".join(parts)

    def name(self, name: str, where: str) -> sp.Expr:
        if name in self.env:
            return self.env[name]
        if name in self._done:
            return self._done[name]
        for table, kind in ((self.helper_text, "helper"), (self.replaced_text, "state")):
            if name in table:
                if name in self._resolving:
                    cycle = " -> ".join([*self._resolving[self._resolving.index(name):],
                                         name])
                    raise ValueError(f"definitions are circular: {cycle}")
                self._resolving.append(name)
                try:
                    value = self.read(table[name], f"the {kind} {name}")
                finally:
                    self._resolving.pop()
                self._done[name] = value
                return value
        hint = ""
        if name == "t":
            hint = (" (equations are autonomous: a time-dependent input goes into the "
                    "current I, which simulate() takes as a stimulus)")
        raise ValueError(f"unknown symbol {name!r} in {where}; known names are "
                         f"{self.known()}{hint}")

    # -- expressions ------------------------------------------------------------
    def read(self, text: str, where: str) -> sp.Expr:
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError as exc:
            col = f" at column {exc.offset}" if exc.offset else ""
            raise ValueError(f"syntax error in {where}{col}: {text!r} ({exc.msg})") from None
        return self._node(tree.body, text, where)

    def _node(self, node: ast.AST, text: str, where: str) -> sp.Expr:
        rec = self._node
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ValueError(f"in {where}: {node.value!r} is not a number")
            if isinstance(node.value, int):
                return sp.Integer(node.value)
            return sp.Rational(repr(node.value))
        if isinstance(node, ast.Name):
            return self.name(node.id, where)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -rec(node.operand, text, where)
            if isinstance(node.op, ast.UAdd):
                return rec(node.operand, text, where)
        if isinstance(node, ast.BinOp):
            a, b = rec(node.left, text, where), rec(node.right, text, where)
            op = node.op
            if isinstance(op, ast.Add):
                return a + b
            if isinstance(op, ast.Sub):
                return a - b
            if isinstance(op, ast.Mult):
                return a * b
            if isinstance(op, ast.Div):
                if b.is_zero:
                    raise ValueError(f"in {where}: division by zero in {text!r}")
                return a / b
            if isinstance(op, ast.Pow):
                return a**b
            if isinstance(op, ast.BitXor):
                raise ValueError(f"in {where}: '^' is not a power here; write '**' "
                                 f"(e.g. n**4) in {text!r}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.keywords:
                raise ValueError(f"in {where}: only plain calls such as exp(x) are "
                                 f"allowed, got {ast.get_source_segment(text, node)!r}")
            fname = node.func.id
            if fname not in FUNCTIONS:
                raise ValueError(f"unknown function {fname!r} in {where}; available: "
                                 f"{', '.join(FUNCTIONS)}")
            arity = FUNCTIONS[fname]
            n = len(node.args)
            if (arity is None and n < 2) or (arity is not None and n != arity):
                want = "at least 2" if arity is None else str(arity)
                raise ValueError(f"in {where}: {fname}() takes {want} argument(s), got {n}")
            args = [rec(a, text, where) for a in node.args]
            return _SYMPY_FUNCTIONS[fname](*args)
        if isinstance(node, ast.Compare):
            raise ValueError(f"in {where}: a comparison is not an expression here; "
                             "conditions belong in threshold=")
        segment = ast.get_source_segment(text, node) or type(node).__name__
        raise ValueError(f"in {where}: {segment!r} is not allowed (numbers, names, + - * / "
                         f"**, parentheses and the functions {', '.join(FUNCTIONS)} are)")


def _linear(expr: sp.Expr, s: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """(num, den) with expr == num + den * s, if expr is linear in s."""
    if not expr.has(s):
        return expr, sp.Integer(0)
    den = sp.diff(expr, s)
    if den.has(s):
        return None
    num = expr.subs(s, 0)
    return num, den


def _slaved(rhs: list[sp.Expr], states: tuple[sp.Symbol, ...]) -> list[sp.Expr] | None:
    """States 1..n-1 from their own equations, as functions of state 0, if each equation
    is linear in its own state and free of the other slaved states, or the slaved
    equations form a linear system."""
    n = len(states)
    if n == 1:
        return []
    others = states[1:]
    out: list[sp.Expr] = []
    simple = True
    for k in range(1, n):
        f = rhs[k]
        if any(f.has(s) for s in others if s is not states[k]):
            simple = False
            break
        lin = _linear(f, states[k])
        if lin is None or lin[1] == 0:
            simple = False
            break
        num, den = lin
        out.append(-num / den)
    if simple:
        return out
    try:
        A, b = sp.linear_eq_to_matrix([rhs[k] for k in range(1, n)], list(others))
    except (sp.polys.polyerrors.PolynomialError, ValueError):
        return None
    if A.det() == 0:
        return None
    sol = A.LUsolve(b)
    return [sol[i] for i in range(n - 1)]


def build(eqs: Equations, params: tuple[str, ...], *, threshold: Threshold | None = None,
          reset: tuple[tuple[str, str], ...] = (), refractory: str | None = None,
          eliminate: dict[str, str] | None = None) -> Symbolic:
    """Read a model's equations into sympy and derive what the engine and analysis use.

    Parameters
    ----------
    eqs : Equations
        States, right-hand sides and helpers (:func:`neurolab.models._language.parse_equations`).
    params : tuple of str
        Parameter names, in the order of the parameter vector.
    threshold, reset, refractory
        A hybrid model's spike condition, reset assignments and refractory period
        (an expression of the parameters), if any.
    eliminate : dict of str to str, optional
        States replaced by expressions (a reduction, e.g. ``{"m": "m_inf"}``); their
        equations are dropped.

    Raises
    ------
    ValueError
        For an unknown symbol or function, a syntax error, circular definitions, a
        parameter named like a state or helper, a threshold or refractory period that
        depends on the state, or a reset that depends on the current.
    """
    eliminate = dict(eliminate or {})
    _check_param_names(eqs, params, eliminate)
    helpers = dict(eqs.helpers)
    reader = _Reader(eqs.states, params, helpers, eliminate)
    kept = [i for i, s in enumerate(eqs.states) if s not in eliminate]
    y = tuple(reader.env[eqs.states[i]] for i in kept)
    p = tuple(reader.env[name] for name in params)
    current = reader.env[CURRENT]
    rhs = [reader.read(eqs.rhs[i], f"the equation of {eqs.states[i]} "
                                   f"(d{eqs.states[i]}/dt)") for i in kept]
    jac = [[sp.diff(f, s) for s in y] for f in rhs]
    helper_exprs = {name: reader.name(name, f"the helper {name}") for name in helpers}

    nulls = None
    if len(y) == 2:
        nulls = []
        for f in rhs:
            lin = _linear(f, y[1])
            if lin is not None and lin[1] != 0:
                nulls.append((1, *lin))
                continue
            lin = _linear(f, y[0])
            nulls.append((0, *lin) if lin is not None and lin[1] != 0 else None)

    thr = ref = None
    new_state = None
    names_of = {v: k for k, v in reader.env.items()}
    if threshold is not None:
        if threshold.state in eliminate:
            raise ValueError(f"threshold uses {threshold.state!r}, which the reduction "
                             "removes")
        thr = reader.read(threshold.expression, "the threshold")
        _only_params(thr, p, "the threshold", names_of)
    if refractory is not None:
        ref = reader.read(refractory, "the refractory period")
        _only_params(ref, p, "the refractory period", names_of)
    if reset:
        new_state = list(y)
        index = {eqs.states[i]: j for j, i in enumerate(kept)}
        for name, text in reset:
            if name not in index:
                raise ValueError(f"reset assigns {name!r}, which the reduction removes")
            value = reader.read(text, f"the reset of {name}")
            if value.has(current):
                raise ValueError(f"the reset of {name} must not depend on the current I")
            new_state[index[name]] = value
    full = [reader.name(name, f"the reduction of {name}") for name in eqs.states]
    kept_names = tuple(eqs.states[i] for i in kept)
    source = {
        "states": kept_names, "params": tuple(params),
        "rhs": [eqs.rhs[i] for i in kept],
        "helpers": {**helpers, **eliminate},
        "reset": [(kept_names.index(name), text) for name, text in reset],
        "reader": reader,
    }
    return Symbolic(states=y, params=p, current=current, rhs=rhs, jacobian=jac,
                    dfdI=[sp.diff(f, current) for f in rhs], full=full, source=source,
                    slaved=_slaved(rhs, y), nullclines=nulls, helpers=helper_exprs,
                    threshold=thr, reset=new_state, refractory=ref)


def _only_params(expr: sp.Expr, params: tuple[sp.Symbol, ...], where: str,
                 names_of: dict[Any, str]) -> None:
    extra = expr.free_symbols - set(params)
    if extra:
        bad = ", ".join(sorted(names_of.get(s, str(s)) for s in extra))
        raise ValueError(f"{where} may depend on parameters only, but uses {bad}")


def _check_param_names(eqs: Equations, params: tuple[str, ...],
                       eliminate: dict[str, str]) -> None:
    states = set(eqs.states)
    helpers = {h for h, _ in eqs.helpers}
    for name in params:
        if name in states:
            raise ValueError(f"parameter {name!r} has the name of a state; rename one of "
                             "them")
        if name in helpers:
            raise ValueError(f"parameter {name!r} is also defined as a helper "
                             f"('{name} = ...'); rename one of them")
    for name in eliminate:
        if name not in states:
            raise ValueError(f"the reduction sets {name!r}, which is not a state (states: "
                             f"{', '.join(eqs.states)})")
    if len(eliminate) >= len(states):
        raise ValueError("a reduction must keep at least one state")
