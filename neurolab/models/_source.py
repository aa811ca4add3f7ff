"""The right-hand side and reset of a model, printed as the user wrote them.

The time loop evaluates each equation with exactly the arithmetic of its text: the same
operations in the same order (floating-point sums depend on the order; a published
scheme reproduced step for step needs it). Helpers become local variables computed in
dependency order, and only those the equations use. Two rewrites keep this as fast as a
hand-tuned kernel without changing what is computed beyond rounding:

- every sub-expression that depends on parameters only (and every helper that does) is
  computed once per run, in ``derived(p)``, and read from the vector ``q``;
- exponentials ``exp(q*s + r)`` of the same state ``s`` with rational coefficients ``q``
  (and ``r`` free of states) share one ``exp``: ``exp(q*s + r) = exp(r) * E**k`` with
  ``E = exp(g*s)``, ``g`` the greatest common divisor of the coefficients; the
  Hodgkin-Huxley rates need one exponential instead of six. ``vtrap(x, y)`` takes part
  with ``exp(x/y)``.

Used only while generating an engine module (sympy analyses the exponents).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

__all__ = ["SourcePrinter"]

#: Functions of the equations -> name in the generated Python.
_CALLS = {"exp": "math.exp", "log": "math.log", "sqrt": "math.sqrt", "tanh": "math.tanh",
          "cosh": "math.cosh", "sinh": "math.sinh", "tan": "math.tan", "sin": "math.sin",
          "cos": "math.cos", "abs": "abs", "min": "min", "max": "max", "vtrap": "_vtrap"}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
#: Largest power of a shared exponential (keeps the rounding of the power chain small).
_MAX_POWER = 1024


@dataclass
class _Group:
    state: int
    base: str
    sign: int
    g: sp.Rational
    powers: set[int] = field(default_factory=set)


class SourcePrinter:
    """Prints the model's expressions as Python for numba, from their syntax trees.

    Parameters
    ----------
    reader : neurolab.models._symbolic._Reader
        Converts sub-trees to sympy (to analyse exponents).
    states : tuple of str
        Kept states (local ``y0, y1, ...``).
    params : tuple of str
        Parameters (``q[i]``).
    helpers : dict of str to str
        Helper and eliminated-state definitions (text).
    """

    def __init__(self, reader: Any, states: tuple[str, ...], params: tuple[str, ...],
                 helpers: dict[str, str]) -> None:
        self.reader = reader
        self.states = {s: i for i, s in enumerate(states)}
        self.params = {p: i for i, p in enumerate(params)}
        self.texts = dict(helpers)
        self.trees = {k: ast.parse(v, mode="eval").body for k, v in helpers.items()}
        self.derived: list[tuple[str, str]] = []  # (name, python of p0, p1, ...)
        self._hoisted: dict[str, str] = {}
        self._param_only_cache: dict[str, bool] = {}
        self._exp: dict[int, str] = {}  # id(node) -> replacement of its exp(...)
        self._groups: dict[int, _Group] = {}
        #: Use the shared exponentials (off for code without the prelude, e.g. a reset).
        self.share = True

    # ------------------------------------------------------------------ names
    def _names(self, node: ast.AST) -> set[str]:
        """Names a tree reads (not the names of the functions it calls)."""
        funcs = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and id(n) not in funcs}

    def _param_only_name(self, name: str) -> bool:
        if name in self.params or name == "pi":
            return True
        if name in self.states or name == "I":
            return False
        if name not in self._param_only_cache:
            self._param_only_cache[name] = False  # guards against cycles
            self._param_only_cache[name] = all(self._param_only_name(n)
                                               for n in self._names(self.trees[name]))
        return self._param_only_cache[name]

    def param_only(self, node: ast.AST) -> bool:
        """Whether the sub-tree depends on parameters and numbers only."""
        return all(self._param_only_name(n) for n in self._names(node))

    def needed(self, nodes: list[ast.AST]) -> list[str]:
        """Helpers the nodes use that depend on the state or current, in an order in
        which each comes after the helpers it uses."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen or name not in self.trees or self._param_only_name(name):
                return
            seen.add(name)
            for n in sorted(self._names(self.trees[name])):
                visit(n)
            order.append(name)

        for node in nodes:
            for n in sorted(self._names(node)):
                visit(n)
        return order

    # ------------------------------------------------------------------ hoisting
    def _hoist(self, node: ast.AST) -> str:
        """Name of a constant of ``derived`` holding a parameter-only sub-tree."""
        text = self._derived_expr(node)
        if text not in self._hoisted:
            name = f"k{len(self._hoisted)}"
            self._hoisted[text] = name
            self.derived.append((name, text))
        return self._hoisted[text]

    def _derived_expr(self, node: ast.AST) -> str:
        """Python (of p0, p1, ... and earlier constants) for a parameter-only sub-tree."""
        if isinstance(node, ast.Name) and node.id in self.trees:
            return f"({self._derived_expr(self.trees[node.id])})"
        return self._print(node, derived=True)

    # ------------------------------------------------------------------ exponentials
    def _sym(self, node: ast.AST) -> sp.Expr:
        return self.reader._node(node, ast.unparse(node), "an exponent")

    def _linear_in_one_state(self, expr: sp.Expr) -> tuple[int, sp.Rational, sp.Expr] | None:
        expr = sp.expand(expr)
        used = [s for s in self.states if expr.has(self.reader.env[s])]
        if len(used) != 1 or expr.has(self.reader.env["I"]):
            return None
        y = self.reader.env[used[0]]
        q = expr.coeff(y)
        rest = sp.expand(expr - q * y)
        if not isinstance(q, sp.Rational) or q == 0 or rest.has(y):
            return None
        return self.states[used[0]], q, rest

    def plan_exps(self, nodes: list[ast.AST]) -> None:
        """Find the exponentials (and vtrap's) that can share one exp per state."""
        found: list[tuple[ast.Call, int, sp.Rational, sp.Expr]] = []
        for root in nodes:
            for node in ast.walk(root):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id == "exp":
                    arg = self._sym(node.args[0])
                elif node.func.id == "vtrap":
                    arg = self._sym(node.args[0]) / self._sym(node.args[1])
                else:
                    continue
                lin = self._linear_in_one_state(arg)
                if lin is not None:
                    found.append((node, *lin))
        by_state: dict[int, list[tuple[ast.Call, sp.Rational, sp.Expr]]] = {}
        for node, state, q, rest in found:
            by_state.setdefault(state, []).append((node, q, rest))
        for state, members in sorted(by_state.items()):
            if len(members) < 2:
                continue
            g = sp.Rational(math.gcd(*[abs(q.p) for _, q, _ in members]),
                            math.lcm(*[q.q for _, q, _ in members]))
            positive = sum(1 for _, q, _ in members if q > 0)
            sign = 1 if 2 * positive >= len(members) else -1
            ks = [int(q / (sign * g)) for _, q, _ in members]
            if max(abs(k) for k in ks) > _MAX_POWER:
                continue
            group = _Group(state, f"e{state}", sign, g)
            for (node, _q, rest), k in zip(members, ks, strict=True):
                group.powers.add(abs(k))
                factor = self._rest_constant(rest)
                power = f"{group.base}_{abs(k)}"
                value = f"{power}" if k > 0 else f"(1.0 / {power})"
                self._exp[id(node)] = value if factor is None else f"({factor} * {value})"
            self._groups[state] = group

    def _rest_constant(self, rest: sp.Expr) -> str | None:
        """Name of the constant exp(rest), or None when rest is 0."""
        if rest == 0:
            return None
        from ._codegen import python_of_params

        text = f"math.exp({python_of_params(rest)})"
        if text not in self._hoisted:
            name = f"k{len(self._hoisted)}"
            self._hoisted[text] = name
            self.derived.append((name, text))
        return self._hoisted[text]

    def prelude(self) -> list[str]:
        """Lines computing each shared exponential and its powers (by squaring)."""
        lines = []
        for state, group in sorted(self._groups.items()):
            coef = group.sign * group.g
            lines.append(f"{group.base}_1 = math.exp({float(coef)!r} * y{state})")
            top = max(group.powers)
            b = 1
            while 2 * b <= top:
                lines.append(f"{group.base}_{2 * b} = {group.base}_{b} * {group.base}_{b}")
                b *= 2
            for k in sorted(group.powers):
                if k & (k - 1) == 0:
                    continue
                bits = [1 << i for i in range(k.bit_length()) if k >> i & 1]
                lines.append(f"{group.base}_{k} = "
                             + " * ".join(f"{group.base}_{b}" for b in bits))
        return lines

    # ------------------------------------------------------------------ printing
    def expression(self, node: ast.AST) -> str:
        """Python for numba of one expression tree (helpers by their local names)."""
        return self._print(node, derived=False)

    def _print(self, node: ast.AST, derived: bool) -> str:
        rec = self._print
        if not derived and not isinstance(node, (ast.Name, ast.Constant)) and \
                self.param_only(node) and not _is_number(node):
            return self._hoist(node)
        if isinstance(node, ast.Constant):
            return repr(node.value)
        if isinstance(node, ast.Name):
            name = node.id
            if name == "pi":
                return "math.pi"
            if name == "I":
                return "I"
            if name in self.states:
                return f"y{self.states[name]}"
            if name in self.params:
                return f"p{self.params[name]}"
            if derived:
                return f"({self._derived_expr(self.trees[name])})"
            if self._param_only_name(name):
                return self._hoist(self.trees[name])
            return f"h_{name}"
        if isinstance(node, ast.UnaryOp):
            op = "-" if isinstance(node.op, ast.USub) else "+"
            return f"({op}{rec(node.operand, derived)})"
        if isinstance(node, ast.BinOp):
            left = rec(node.left, derived)
            if (isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant)
                    and node.right.value in (2, 3, 4) and not derived):
                # numba's own integer power, spelled out: x**3 = x * (x * x) and
                # x**4 = (x * x) * (x * x), the same products and rounding.
                k = node.right.value
                return {2: f"({left} * {left})", 3: f"({left} * ({left} * {left}))",
                        4: f"(({left} * {left}) * ({left} * {left}))"}[k]
            return f"({left} {_OPS[type(node.op)]} {rec(node.right, derived)})"
        if isinstance(node, ast.Call):
            fname = node.func.id  # type: ignore[attr-defined]
            args = [rec(a, derived) for a in node.args]
            if not derived and self.share and id(node) in self._exp:
                shared = self._exp[id(node)]
                if fname == "exp":
                    return shared
                return f"_vtrap_e({args[0]}, {args[1]}, {shared})"
            return f"{_CALLS[fname]}({', '.join(args)})"
        raise ValueError(f"cannot print {ast.unparse(node)!r}")  # pragma: no cover


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)
