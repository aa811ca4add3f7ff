"""Source code of one model's compiled engine, generated from its symbolic form.

The module written for a model holds, as plain module-level functions in one real file
(the shape numba's on-disk cache serves in a fresh process):

- ``_f(q, y0, ..., I)``: the right-hand side, scalars in and a tuple out, inlined into
  the time loop so the state stays in registers;
- ``_jac(q, y, I, J)``: the exact Jacobian, differentiated symbolically;
- ``_reset(q, y0, ...)``: a hybrid model's reset;
- ``_step``, ``integrate`` and ``integrate_batch``: the time loop (fixed-step Euler, RK2,
  RK4 and the update of Izhikevich's published script), specialised to this model's
  number of states; ``rhs_many`` and ``jac_many`` for batches of states;
- ``derived(p)``: the parameter vector ``q`` the compiled code reads, made of the
  parameters and every sub-expression that depends on parameters only (computed once
  per run instead of once per step);
- numpy functions for the analysis: ``slaved`` (the curve of states on which every
  equation but the first vanishes), ``nullcline_forms`` (each nullcline of a
  two-state model as ``num + den * s = 0``), ``reset_np`` and ``helpers``.

Two rewrites keep the generated right-hand side as fast as a hand-written one:
exponentials whose arguments are rational multiples of the same state plus a constant
share one ``exp`` (``exp(-(V+65)/18)`` and ``exp(-(V+65)/20)`` are powers of
``exp(-V/720)`` times constants), and parameter-only sub-expressions are hoisted into
``derived``. Nothing here is imported at run time when the generated file is cached.
"""

from __future__ import annotations

import ast
import math
import textwrap
from dataclasses import dataclass

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter

from ._language import METHODS
from ._source import SourcePrinter
from ._symbolic import Symbolic, xe, xe1

__all__ = ["METHODS", "generate", "LoopShape", "GENERATOR_VERSION"]

#: Bump when the generated code changes in a way the cache key would not see.
GENERATOR_VERSION = 1
#: Largest power of a shared exponential (keeps the rounding of the power chain small).
_MAX_POWER = 1024


class _XE(sp.Function):
    """xe(z) with exp(z) passed in: printed as ``_xe(z, ez)``."""

    nargs = 2


class _XE1(sp.Function):
    nargs = 2


@dataclass(frozen=True)
class LoopShape:
    """What the time loop needs to know about the model's structure."""

    n: int
    hybrid: bool
    spike_index: int


# ----------------------------------------------------------------------------- printers
class _NumbaPrinter(PythonCodePrinter):
    """Python with ``math`` functions, as numba compiles it."""

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"_heaviside({self._print(expr.args[0])})"

    def _print__XE(self, expr: sp.Expr) -> str:
        return f"_xe({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print__XE1(self, expr: sp.Expr) -> str:
        return f"_xe1({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_xe(self, expr: sp.Expr) -> str:
        z = self._print(expr.args[0])
        return f"_xe({z}, math.exp({z}))"

    def _print_xe1(self, expr: sp.Expr) -> str:
        z = self._print(expr.args[0])
        return f"_xe1({z}, math.exp({z}))"


class _NumpyPrinter(NumPyPrinter):
    """numpy code with short module names (``np.``) and the course's helpers."""

    def doprint(self, expr: sp.Expr, assign_to: str | None = None) -> str:
        return super().doprint(expr, assign_to).replace("numpy.", "np.")

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"np.heaviside({self._print(expr.args[0])}, 0.5)"

    def _print_xe(self, expr: sp.Expr) -> str:
        return f"_xe_np({self._print(expr.args[0])})"

    def _print_xe1(self, expr: sp.Expr) -> str:
        return f"_xe1_np({self._print(expr.args[0])})"

    def _print_Min(self, expr: sp.Expr) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"np.minimum({out}, {a})"
        return out

    def _print_Max(self, expr: sp.Expr) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"np.maximum({out}, {a})"
        return out


def _numba(expr: sp.Expr) -> str:
    return _NumbaPrinter({"standard": "python3"}).doprint(expr)


def _np(expr: sp.Expr) -> str:
    return _NumpyPrinter().doprint(expr)


# ----------------------------------------------------------------------------- rewrites
def _rational(x: sp.Expr) -> sp.Rational | None:
    return x if isinstance(x, sp.Rational) else None


class _Optimizer:
    """Exp sharing, then hoisting of parameter-only sub-expressions, for one family of
    expressions compiled together (the right-hand side, or the Jacobian)."""

    def __init__(self, sym: Symbolic, hoisted: dict[sp.Expr, sp.Symbol]) -> None:
        self.states = set(sym.states)
        self.params = set(sym.params)
        self.hoisted = hoisted  # shared between families: one derived vector
        self.prelude: list[tuple[sp.Symbol, sp.Expr]] = []

    def hoist(self, e: sp.Expr) -> sp.Expr:
        """Replace each largest sub-expression free of states and current (parameters
        and numbers only) by a constant of ``derived``."""
        if e.is_Atom:
            return e
        if e.free_symbols <= self.params:
            if e not in self.hoisted:
                self.hoisted[e] = sp.Symbol(f"c{len(self.hoisted)}", real=True)
            return self.hoisted[e]
        if not e.args:
            return e
        return e.func(*[self.hoist(a) for a in e.args])

    def share_exps(self, exprs: list[sp.Expr]) -> list[sp.Expr]:
        """Rewrite exp(q*y + r) (rational q, r free of states) of a common state y as
        exp(r) * E**k with E = exp(g*y) shared, when two or more such exps exist."""
        exprs = [e.replace(xe, lambda z: _XE(z, sp.exp(z)))
                 .replace(xe1, lambda z: _XE1(z, sp.exp(z))) for e in exprs]
        atoms: set[sp.Expr] = set()
        for e in exprs:
            atoms |= e.atoms(sp.exp)
        groups: dict[sp.Symbol, list[tuple[sp.Expr, sp.Rational, sp.Expr]]] = {}
        for a in atoms:
            arg = sp.expand(a.args[0])
            used = [s for s in self.states if arg.has(s)]
            if len(used) != 1:
                continue
            y = used[0]
            q = _rational(arg.coeff(y))
            rest = sp.expand(arg - arg.coeff(y) * y)
            if q is None or q == 0 or rest.has(y):
                continue
            groups.setdefault(y, []).append((a, q, rest))
        mapping: dict[sp.Expr, sp.Expr] = {}
        for y, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            if len(members) < 2:
                continue
            nums = [abs(q.p) for _, q, _ in members]
            dens = [q.q for _, q, _ in members]
            g = sp.Rational(math.gcd(*nums), math.lcm(*dens))
            positive = sum(1 for _, q, _ in members if q > 0)
            sign = 1 if positive * 2 >= len(members) else -1
            ks = [int(q / (sign * g)) for _, q, _ in members]
            if max(abs(k) for k in ks) > _MAX_POWER:
                continue
            base = sp.Symbol(f"e_{y}", real=True)
            self.prelude.append((base, sp.exp(sign * g * y)))
            powers = self._power_chain(base, sorted({abs(k) for k in ks}))
            for (a, _q, rest), k in zip(members, ks, strict=True):
                pk = powers[abs(k)]
                mapping[a] = sp.exp(rest) * (pk if k > 0 else 1 / pk)
        if not mapping:
            return exprs
        return [e.xreplace(mapping) for e in exprs]

    def _power_chain(self, base: sp.Symbol, ks: list[int]) -> dict[int, sp.Expr]:
        """Symbols for base**k, by repeated squaring with shared intermediate powers."""
        squares = {1: base}
        top = max(ks)
        b = 1
        while 2 * b <= top:
            s = sp.Symbol(f"{base}_{2 * b}", real=True)
            self.prelude.append((s, squares[b] * squares[b]))
            squares[2 * b] = s
            b *= 2
        out: dict[int, sp.Expr] = {}
        for k in ks:
            if k in squares:
                out[k] = squares[k]
                continue
            bits = [1 << i for i in range(k.bit_length()) if k >> i & 1]
            s = sp.Symbol(f"{base}_{k}", real=True)
            self.prelude.append((s, sp.Mul(*[squares[b] for b in bits])))
            out[k] = s
        return out

    def run(self, exprs: list[sp.Expr]) -> tuple[list[tuple[sp.Symbol, sp.Expr]],
                                                 list[sp.Expr]]:
        """Body lines (symbol, expression) and the final expressions."""
        exprs = [self.hoist(e) for e in self.share_exps(exprs)]
        temps, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("t"),
                                optimizations="basic")
        prelude = [(s, self.hoist(e)) for s, e in self.prelude]
        return prelude + list(temps), reduced


# ----------------------------------------------------------------------------- pieces
_HEADER = '''"""Generated by neurolab (generator {version}) for the model {name!r}; do not edit.

Equations key: {key}
"""

import math

import numpy as np
from numba import njit, prange

N_STATES = {n}
N_PARAMS = {n_params}
EULER, RK2, RK4, IZHIKEVICH = {euler}, {rk2}, {rk4}, {izh}
OK, DIVERGED = 0, 1


@njit(cache=True, error_model="numpy", inline="always")
def _xe(z, ez):
    """z / (exp(z) - 1), given ez = exp(z); 1 at z = 0."""
    if abs(z) < 1e-4:
        return 1.0 - 0.5 * z + z * z / 12.0
    return z / (ez - 1.0)


@njit(cache=True, error_model="numpy", inline="always")
def _xe1(z, ez):
    """Derivative of _xe: (ez - 1 - z ez) / (ez - 1)^2; -1/2 at z = 0."""
    if abs(z) < 1e-3:
        return -0.5 + z / 6.0 - z * z * z / 180.0
    d = ez - 1.0
    return (d - z * ez) / (d * d)


@njit(cache=True, error_model="numpy", inline="always")
def _vtrap_e(x, y, ez):
    """x / (exp(x / y) - 1), given ez = exp(x / y); its limit y at x = 0."""
    if abs(x) < 1e-4 * abs(y):
        z = x / y
        return y * (1.0 - 0.5 * z + z * z / 12.0)
    return x / (ez - 1.0)


@njit(cache=True, error_model="numpy", inline="always")
def _vtrap(x, y):
    return _vtrap_e(x, y, math.exp(x / y))


@njit(cache=True, error_model="numpy", inline="always")
def _heaviside(x):
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return 0.0
    return 0.5


def _xe_np(z):
    z = np.asarray(z, dtype=float)
    small = np.abs(z) < 1e-4
    zs = np.where(small, 1.0, z)
    return np.where(small, 1.0 - 0.5 * z + z * z / 12.0, zs / np.expm1(zs))


def _xe1_np(z):
    z = np.asarray(z, dtype=float)
    small = np.abs(z) < 1e-3
    zs = np.where(small, 1.0, z)
    e = np.exp(zs)
    d = e - 1.0
    return np.where(small, -0.5 + z / 6.0 - z ** 3 / 180.0, (d - zs * e) / (d * d))
'''


def _indent(lines: list[str], n: int = 4) -> str:
    pad = " " * n
    return "\n".join(pad + line for line in lines)


def _loads(body_text: str, symbols: list[str], source: str) -> list[str]:
    """``name = source[i]`` for each symbol the body uses."""
    import re

    used = set(re.findall(r"\b[A-Za-z_]\w*\b", body_text))
    return [f"{name} = {source}[{i}]" for i, name in enumerate(symbols) if name in used]


def _tuple(items: list[str]) -> str:
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def python_of_params(expr: sp.Expr) -> str:
    """Python (math functions) for an expression of the parameter symbols p0, p1, ..."""
    return _numba(expr)


def _rhs_source(printer: SourcePrinter, texts: list[str], q_names: list[str]) -> str:
    nodes = [ast.parse(t, mode="eval").body for t in texts]
    needed = printer.needed(nodes)
    printer.plan_exps(nodes + [printer.trees[h] for h in needed])
    printer.share = True
    lines = printer.prelude()
    lines += [f"h_{h} = {printer.expression(printer.trees[h])}" for h in needed]
    lines.append(f"return {_tuple([printer.expression(n) for n in nodes])}")
    text = "\n".join(lines)
    loads = _loads(text, q_names, "q")
    args = ", ".join(f"y{i}" for i in range(len(texts)))
    return (f"@njit(cache=True, error_model=\"numpy\", inline=\"always\")\ndef _f(q, {args}, I):\n"
            f"    \"\"\"dy/dt at state ({args}) and current I, as the equations are "
            "written.\"\"\"\n"
            + _indent(loads + lines) + "\n")


def _jac_source(sym: Symbolic, opt: _Optimizer, q_names: list[str]) -> str:
    n = len(sym.states)
    flat = [sym.jacobian[i][j] for i in range(n) for j in range(n)]
    body, out = opt.run(flat)
    lines = [f"{s} = {_numba(e)}" for s, e in body]
    for k, e in enumerate(out):
        lines.append(f"J[{k // n}, {k % n}] = {_numba(e)}")
    text = "\n".join(lines)
    loads = _loads(text, q_names, "q") + _loads(text, [f"y{i}" for i in range(n)], "y")
    return ("@njit(cache=True, error_model=\"numpy\")\ndef _jac(q, y, I, J):\n"
            "    \"\"\"Write the Jacobian d(dy/dt)/dy at state y and current I into J.\"\"\"\n"
            + _indent(loads + lines) + "\n")


def _reset_source(printer: SourcePrinter, n: int, reset: list[tuple[int, str]],
                  q_names: list[str]) -> str:
    args = ", ".join(f"y{i}" for i in range(n))
    if not reset:
        return ("@njit(cache=True, error_model=\"numpy\", inline=\"always\")\n"
                f"def _reset(q, {args}):\n"
                f"    return {_tuple([f'y{i}' for i in range(n)])}\n")
    nodes = {i: ast.parse(t, mode="eval").body for i, t in reset}
    printer.share = False
    needed = printer.needed(list(nodes.values()))
    lines = [f"h_{h} = {printer.expression(printer.trees[h])}" for h in needed]
    out = [printer.expression(nodes[i]) if i in nodes else f"y{i}" for i in range(n)]
    lines.append(f"return {_tuple(out)}")
    printer.share = True
    text = "\n".join(lines)
    loads = _loads(text, q_names, "q")
    return (f"@njit(cache=True, error_model=\"numpy\", inline=\"always\")\ndef _reset(q, {args}):\n"
            "    \"\"\"State just after a spike's reset (assignments act together).\"\"\"\n"
            + _indent(loads + lines) + "\n")


def _derived_source(n_params: int, constants: list[tuple[str, str]]) -> str:
    """``derived(p)``: the parameters, then constants computed from them."""
    lines = [f"p{i} = float(p[{i}])" for i in range(n_params)]
    lines += [f"{name} = {text}" for name, text in constants]
    names = [f"p{i}" for i in range(n_params)] + [name for name, _ in constants]
    lines.append(f"return np.array([{', '.join(names)}], dtype=float)")
    return ("def derived(p):\n    \"\"\"The vector q read by the compiled code: the "
            "parameters, then constants made of them.\"\"\"\n" + _indent(lines) + "\n")


def _numpy_sources(sym: Symbolic) -> str:
    n = len(sym.states)
    params = [f"p{i} = p[{i}]" for i in range(len(sym.params))]
    out = []
    # slaved states along the first
    if sym.slaved is None:
        out.append("HAS_SLAVED = False\n\n\ndef slaved(p, y0, I):\n    return None\n")
    else:
        body = [*params, "y0 = np.asarray(y0, dtype=float)",
                "shape = np.shape(y0)"]
        items = ["y0"] + [f"np.broadcast_to(np.asarray({_np(sp.powsimp(e))}, "
                          "dtype=float), shape)" for e in sym.slaved]
        body.append(f"return np.array([{', '.join(items)}])")
        out.append("HAS_SLAVED = True\n\n\ndef slaved(p, y0, I):\n"
                   "    \"\"\"States on the curve where every equation but the first "
                   "vanishes, as functions of the first state.\"\"\"\n"
                   "    with np.errstate(all='ignore'):\n" + _indent(body, 8) + "\n")
    # nullclines of a two-state model
    if sym.nullclines is None:
        out.append("NULLCLINE_AXES = None\n\n\ndef nullcline_forms(p, s, I):\n"
                   "    return None\n")
    else:
        axes = [None if f is None else f[0] for f in sym.nullclines]
        body = [*params, "s = np.asarray(s, dtype=float)", "out = []"]
        for k, f in enumerate(sym.nullclines):
            if f is None:
                body.append("out.append(None)")
                continue
            axis, num, den = f
            var = f"y{1 - axis}"  # the graph is over the other state
            body.append(f"{var} = s[{k}]")
            body.append(f"out.append((np.broadcast_to(np.asarray({_np(num)}, dtype=float), "
                        f"np.shape({var})), np.broadcast_to(np.asarray({_np(den)}, "
                        f"dtype=float), np.shape({var}))))")
        body.append("return out")
        out.append(f"NULLCLINE_AXES = {tuple(axes)!r}\n\n\ndef nullcline_forms(p, s, I):\n"
                   "    \"\"\"Per equation: (num, den) with the equation equal to num + den * "
                   "y_axis, on the grid s[k] of the other state.\"\"\"\n"
                   "    with np.errstate(all='ignore'):\n" + _indent(body, 8) + "\n")
    # reset in numpy
    ys = [f"y{i} = Y[{i}]" for i in range(n)]
    if sym.reset is None:
        out.append("def reset_np(p, Y):\n    return np.array(Y, dtype=float)\n")
    else:
        items = [f"np.broadcast_to(np.asarray({_np(e)}, dtype=float), np.shape(Y[0]))"
                 for e in sym.reset]
        out.append("def reset_np(p, Y):\n    \"\"\"State after a reset, for states Y "
                   "(n_states, ...).\"\"\"\n" + _indent([*params, *ys]) + "\n"
                   f"    return np.array([{', '.join(items)}])\n")
    # the full model's state from a reduced one
    items = [f"np.broadcast_to(np.asarray({_np(e)}, dtype=float), shape)" for e in sym.full]
    out.append("def full_state(p, Y, I):\n    \"\"\"States of the full model (before any "
               "reduction) at states Y (n_states, ...).\"\"\"\n"
               "    Y = np.asarray(Y, dtype=float)\n"
               "    shape = np.broadcast_shapes(np.shape(Y[0]), np.shape(I))\n"
               + _indent([*params, *ys]) + "\n"
               f"    return np.array([{', '.join(items)}])\n")
    # derivative of the right-hand side with respect to the current
    items = [f"np.broadcast_to(np.asarray({_np(e)}, dtype=float), shape)" for e in sym.dfdI]
    out.append("def dfdI(p, Y, I):\n    \"\"\"d(dy/dt)/dI at states Y (n_states, ...).\"\"\"\n"
               "    Y = np.asarray(Y, dtype=float)\n"
               "    shape = np.broadcast_shapes(np.shape(Y[0]), np.shape(I))\n"
               + _indent([*params, *ys]) + "\n"
               f"    return np.array([{', '.join(items)}])\n")
    # helpers
    names = list(sym.helpers)
    body = [*params, *ys]
    for name, e in sym.helpers.items():
        body.append(f"out[{name!r}] = np.broadcast_to(np.asarray({_np(e)}, dtype=float), "
                    "shape)")
    out.append(f"HELPERS = {tuple(names)!r}\n\n\ndef helpers(p, Y, I):\n"
               "    \"\"\"Every helper at states Y (n_states, ...) and current I.\"\"\"\n"
               "    Y = np.asarray(Y, dtype=float)\n"
               "    shape = np.broadcast_shapes(np.shape(Y[0]), np.shape(I))\n"
               "    out = {}\n"
               "    with np.errstate(all='ignore'):\n" + _indent(body, 8) + "\n"
               "    return out\n")
    return "\n\n".join(out)


def _loop_source(shape: LoopShape) -> str:
    n, s = shape.n, shape.spike_index
    A = [f"a{i}" for i in range(n)]
    B = [f"b{i}" for i in range(n)]
    a, b = ", ".join(A), ", ".join(B)
    ta, tb = _tuple(A), _tuple(B)

    def comb(base: list[str], parts: str) -> str:
        return _tuple([f"{base[i]} + {parts.format(i=i)}" for i in range(n)])

    step = f'''@njit(cache=True, error_model="numpy")
def _step(method, q, {a}, h, Ia, Im, Ib):
    """One step of size h; returns the new state and the spike state's derivative."""
    k1 = _f(q, {a}, Ia)
    if method == EULER:
        return {comb(A, "h * k1[{i}]")}, k1[{s}]
    if method == IZHIKEVICH:
        # The spike state first, then the others with its updated value.
        c{s} = a{s} + h * k1[{s}]
        k2 = _f(q, {", ".join(f"c{i}" if i == s else f"a{i}" for i in range(n))}, Ia)
        return {_tuple([f"c{i}" if i == s else f"a{i} + h * k2[{i}]" for i in range(n)])}, k1[{s}]
    if method == RK2:
        k2 = _f(q, {", ".join(f"a{i} + h * k1[{i}]" for i in range(n))}, Ib)
        g = 0.5 * h
        return {comb(A, "g * (k1[{i}] + k2[{i}])")}, k1[{s}]
    g = 0.5 * h
    k2 = _f(q, {", ".join(f"a{i} + g * k1[{i}]" for i in range(n))}, Im)
    k3 = _f(q, {", ".join(f"a{i} + g * k2[{i}]" for i in range(n))}, Im)
    k4 = _f(q, {", ".join(f"a{i} + h * k3[{i}]" for i in range(n))}, Ib)
    r = h / 6.0
    return {comb(A, "r * (k1[{i}] + 2.0 * k2[{i}] + 2.0 * k3[{i}] + k4[{i}])")}, k1[{s}]
'''
    record = "\n".join(f"            states[{i}, k + 1] = a{i}" for i in range(n))
    init = "\n".join(f"    a{i} = y0[{i}]" for i in range(n))
    init_rec = "\n".join(f"        states[{i}, 0] = a{i}" for i in range(n))
    finite = " + ".join(A)
    interp = ", ".join(f"a{i} + th * (b{i} - a{i})" for i in range(n))
    smooth = f'''\
            {tb}, f0 = _step(method, q, {a}, dt, Ia, Im, Ib)
            if armed:
                if a{s} < threshold and b{s} >= threshold:
                    f1 = _f(q, {b}, Ib)[{s}]
                    th = _hermite_crossing(a{s}, b{s}, f0, f1, dt, threshold)
                    if n_sp < cap:
                        spikes[n_sp] = t + th * dt
                    n_sp += 1
                    armed = False
            elif b{s} < threshold - rearm:
                armed = True
            {ta} = {tb}'''
    hybrid = f'''\
            t_end = t + dt
            if ref_end < t_end:
                frac0 = 0.0
                if ref_end > t:
                    frac0 = (ref_end - t) / dt
                # Integrate [t + frac0 dt, t_end]; a reset part-way restarts the rest.
                for _event in range(4):
                    h = (1.0 - frac0) * dt
                    if h <= 1e-12 * dt:
                        break
                    if frac0 > 0.0:
                        Ia = _current(I0, wave, k, frac0)
                        Im = _current(I0, wave, k, 0.5 * (frac0 + 1.0))
                    {tb}, f0 = _step(method, q, {a}, h, Ia, Im, Ib)
                    if b{s} >= v_peak:
                        th = 0.0
                        if a{s} < v_peak:
                            f1 = _f(q, {b}, Ib)[{s}]
                            th = _hermite_crossing(a{s}, b{s}, f0, f1, h, v_peak)
                        ts = t + frac0 * dt + th * h
                        if n_sp < cap:
                            spikes[n_sp] = ts
                        n_sp += 1
                        if method == IZHIKEVICH:
                            # As the published script: reset the end-of-step state.
                            th = 1.0
                        {ta} = _reset(q, {interp})
                        ref_end = ts + t_ref
                        if ref_end >= t_end or method == IZHIKEVICH:
                            break
                        frac0 = (ref_end - t) / dt
                        continue
                    {ta} = {tb}
                    break'''
    body = textwrap.indent(textwrap.dedent(hybrid if shape.hybrid else smooth), " " * 8)
    return step + f'''

@njit(cache=True, error_model="numpy")
def _current(I0, wave, k, frac):
    """Injected current at t = (k + frac) dt; ``wave`` holds samples at half steps."""
    if wave.shape[0] <= 1:
        return I0
    x = 2.0 * (k + frac)
    i = int(x)
    last = wave.shape[0] - 1
    if i >= last:
        return I0 + wave[last]
    r = x - i
    if r == 0.0:
        return I0 + wave[i]
    return I0 + (1.0 - r) * wave[i] + r * wave[i + 1]


@njit(cache=True, error_model="numpy")
def _hermite_crossing(v0, v1, f0, f1, h, level):
    """Fraction in [0, 1] of a step where the cubic Hermite interpolant reaches level."""
    th = (level - v0) / (v1 - v0)
    lin = th
    for _ in range(8):
        t2 = th * th
        t3 = t2 * th
        val = ((2 * t3 - 3 * t2 + 1) * v0 + (t3 - 2 * t2 + th) * h * f0
               + (-2 * t3 + 3 * t2) * v1 + (t3 - t2) * h * f1 - level)
        d = ((6 * t2 - 6 * th) * v0 + (3 * t2 - 4 * th + 1) * h * f0
             + (-6 * t2 + 6 * th) * v1 + (3 * t2 - 2 * th) * h * f1)
        if d <= 0.0:
            return lin
        step = val / d
        th -= step
        if th < 0.0 or th > 1.0:
            return lin
        if abs(step) < 1e-13:
            break
    return th


@njit(cache=True, error_model="numpy")
def integrate(method, q, y0, dt, n_steps, I0, wave, threshold, rearm, v_peak, t_ref,
              record, states, spikes):
    """Integrate over n_steps steps of dt; see neurolab.simulate. Returns
    (status, n_spikes, step)."""
{init}
    cap = spikes.shape[0]
    if record:
{init_rec}
    has_wave = wave.shape[0] > 1
    n_sp = 0
    armed = True
    ref_end = -1.0
    Ia = I0
    Im = I0
    Ib = I0
    for k in range(n_steps):
        t = k * dt
        if has_wave:
            Ia = I0 + wave[2 * k]
            Im = I0 + wave[2 * k + 1]
            Ib = I0 + wave[2 * k + 2]
{body}
        if not math.isfinite({finite}):
            return DIVERGED, n_sp, k + 1
        if record:
{record}
    return OK, n_sp, n_steps


@njit(cache=True, error_model="numpy", parallel=True)
def integrate_batch(method, Q, Y0, dt, n_steps, I0, waves, threshold, rearm, v_peak,
                    t_ref, record, states, spikes, status, counts, where):
    """integrate() for each row of Q / Y0 / I0, in parallel."""
    B = Q.shape[0]
    shared = waves.shape[0] == 1
    for b in prange(B):
        w = waves[0] if shared else waves[b]
        st = states[b] if record else states[0]
        s, m, k = integrate(method, Q[b], Y0[b], dt, n_steps, I0[b], w, threshold, rearm,
                            v_peak, t_ref, record, st, spikes[b])
        status[b] = s
        counts[b] = m
        where[b] = k


@njit(cache=True, error_model="numpy")
def rhs_many(q, Y, I, out):
    """Right-hand side for many states: Y and out of shape (n_states, N)."""
    for j in range(Y.shape[1]):
        d = _f(q, {", ".join(f"Y[{i}, j]" for i in range(n))}, I[j])
{chr(10).join(f"        out[{i}, j] = d[{i}]" for i in range(n))}


@njit(cache=True, error_model="numpy")
def jac_many(q, Y, I, out):
    """Jacobians for many states: Y (n_states, N), out (n_states, n_states, N)."""
    y = np.empty({n})
    J = np.zeros(({n}, {n}))
    for j in range(Y.shape[1]):
        for i in range({n}):
            y[i] = Y[i, j]
        _jac(q, y, I[j], J)
        for r in range({n}):
            for c in range({n}):
                out[r, c, j] = J[r, c]
'''


def generate(sym: Symbolic, shape: LoopShape, *, name: str, key: str) -> tuple[str, dict]:
    """The source of a model's engine module and the layout of its ``q`` vector.

    Parameters
    ----------
    sym : Symbolic
        The model's symbolic form (:func:`neurolab.models._symbolic.build`).
    shape : LoopShape
        Number of states, hybrid or not, and the index of the spike state.
    name, key : str
        Written into the module's docstring.

    Returns
    -------
    source : str
    layout : dict
        Indices into ``q`` of the threshold and the refractory period (or None).
    """
    src = sym.source
    printer = SourcePrinter(src["reader"], src["states"], src["params"], src["helpers"])
    n = len(sym.states)
    # First pass: collect the constants every function reads from q.
    _rhs_source(printer, src["rhs"], [])
    _reset_source(printer, n, src["reset"], [])
    hoisted: dict[sp.Expr, sp.Symbol] = {}
    _jac_source(sym, _Optimizer(sym, hoisted), [])
    constants = list(printer.derived)
    constants += [(str(s), _numba(e)) for e, s in hoisted.items()]
    if sym.threshold is not None:
        constants.append(("threshold", _numba(sym.threshold)))
    if sym.refractory is not None:
        constants.append(("refractory", _numba(sym.refractory)))
    q_names = [f"p{i}" for i in range(len(sym.params))] + [c for c, _ in constants]
    counts = (len(printer.derived), len(hoisted))
    rhs_text = _rhs_source(printer, src["rhs"], q_names)
    reset_text = _reset_source(printer, n, src["reset"], q_names)
    jac_text = _jac_source(sym, _Optimizer(sym, hoisted), q_names)
    if counts != (len(printer.derived), len(hoisted)):  # pragma: no cover
        raise RuntimeError("code generation is not deterministic")
    layout = {
        "threshold": q_names.index("threshold") if sym.threshold is not None else None,
        "refractory": q_names.index("refractory") if sym.refractory is not None else None,
        "n_q": len(q_names),
    }
    header = _HEADER.format(version=GENERATOR_VERSION, name=name, key=key,
                            n=len(sym.states), n_params=len(sym.params),
                            euler=METHODS["euler"], rk2=METHODS["rk2"],
                            rk4=METHODS["rk4"], izh=METHODS["izhikevich"])
    parts = [header, _derived_source(len(sym.params), constants), rhs_text, jac_text,
             reset_text,
             _loop_source(shape), _numpy_sources(sym),
             f"LAYOUT = {layout!r}\n"]
    return "\n\n".join(p.rstrip("\n") + "\n" for p in parts), layout
