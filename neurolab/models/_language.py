"""The text of a model's equations, split into its parts without any symbolic algebra.

A model is written as lines of text::

    dV/dt = (I - g_L*(V - E_L) - g_K*n*(V - E_K)) / C    # one line per state
    dn/dt = (n_inf - n) / tau
    n_inf = 1 / (1 + exp((V_half - V) / k))              # helper definitions

This module reads that text into states, their right-hand sides and the helper
definitions, checks what can be checked on the text alone (line shapes, names, repeats),
and reads the ``threshold`` and ``reset`` strings of a hybrid model. It needs no sympy,
so a process that finds a model's compiled code in the cache never imports it; the
symbolic work (unknown symbols, derivatives) is in :mod:`neurolab.models._symbolic`.
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass

__all__ = ["Equations", "Threshold", "FUNCTIONS", "CONSTANTS", "METHODS", "parse_equations",
           "parse_threshold", "parse_reset", "check_name", "normalize"]

#: Functions an equation may call, with their number of arguments (None: two or more).
FUNCTIONS: dict[str, int | None] = {
    "exp": 1, "log": 1, "sqrt": 1, "tanh": 1, "cosh": 1, "sinh": 1, "tan": 1, "sin": 1,
    "cos": 1, "abs": 1, "min": None, "max": None, "vtrap": 2,
}
#: Named constants an equation may use.
CONSTANTS = ("pi",)
#: Integration methods by name -> code used inside the generated time loop. "izhikevich"
#: is forward Euler that updates the spike state first and the others with its new value,
#: and resets the end-of-step state: the scheme of the script behind Izhikevich (2004),
#: Fig. 1, which some of its firing patterns depend on.
METHODS = {"euler": 0, "rk2": 1, "rk4": 2, "izhikevich": 3}
#: The injected current, the one input of every model.
CURRENT = "I"

_STATE_LINE = re.compile(r"^d\s*([A-Za-z_]\w*)\s*/\s*dt\s*=(.*)$")
_HELPER_LINE = re.compile(r"^([A-Za-z_]\w*)\s*=(.*)$")
_THRESHOLD = re.compile(r"^\s*([A-Za-z_]\w*)\s*(>=|>)\s*(.+?)\s*$")


@dataclass(frozen=True)
class Equations:
    """The parts of a model's equations, as text.

    Attributes
    ----------
    states : tuple of str
        State names in the order of their ``dX/dt`` lines.
    rhs : tuple of str
        Right-hand side of each state's equation, in the same order.
    helpers : tuple of (str, str)
        Helper definitions ``(name, expression)`` in the order written.
    """

    states: tuple[str, ...]
    rhs: tuple[str, ...]
    helpers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Threshold:
    """A hybrid model's spike condition ``state >= expression`` (expression of the
    parameters only)."""

    state: str
    expression: str


def normalize(expression: str) -> str:
    """An expression in a canonical layout (the cache key ignores spaces and redundant
    parentheses): Python's own unparsing of its syntax tree, or the text with runs of
    white space collapsed if it does not parse (the error is reported later, with its
    place)."""
    text = " ".join(expression.split())
    try:
        return ast.unparse(ast.parse(text, mode="eval"))
    except SyntaxError:
        return text


def check_name(kind: str, name: str) -> str:
    """Check that ``name`` can name a state, parameter or helper.

    Raises
    ------
    ValueError
        For a name that is not an identifier, starts with an underscore, is a Python
        keyword, or is a reserved name (``I``, a function or constant of the equations).
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{kind} name {name!r} is not a valid name (letters, digits and _; "
                         "not starting with a digit)")
    if name.startswith("_"):
        raise ValueError(f"{kind} name {name!r} must not start with an underscore")
    if keyword.iskeyword(name):
        raise ValueError(f"{kind} name {name!r} is a Python keyword; choose another name")
    if name == CURRENT:
        raise ValueError(f"{kind} name {name!r} is reserved for the injected current")
    if name in FUNCTIONS or name in CONSTANTS:
        raise ValueError(f"{kind} name {name!r} is reserved (a function or constant of the "
                         "equations)")
    return name


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines without comments, with lines joined while parentheses are open."""
    out: list[tuple[int, str]] = []
    buf, start, depth = "", 0, 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if line.endswith("\\"):
            line = line[:-1]
            cont = True
        else:
            cont = False
        if not buf:
            if not line.strip():
                continue
            start = number
        buf += " " + line.strip() if buf else line.strip()
        depth += line.count("(") - line.count(")")
        if depth > 0 or cont:
            continue
        out.append((start, buf))
        buf, depth = "", 0
    if buf:
        out.append((start, buf))
    return out


def parse_equations(text: str) -> Equations:
    """Split the text of a model's equations into states, right-hand sides and helpers.

    Parameters
    ----------
    text : str
        One ``dX/dt = expression`` line per state, then any number of helper lines
        ``name = expression``; ``#`` starts a comment; a line may continue while a
        parenthesis is open or after a trailing backslash.

    Returns
    -------
    Equations

    Raises
    ------
    ValueError
        If the text is empty, a line is neither form, a state or helper is defined
        twice, an expression is empty, or a name is not allowed (see :func:`check_name`).
    """
    if not isinstance(text, str):
        raise ValueError(f"equations must be a string of 'dX/dt = ...' lines, got "
                         f"{type(text).__name__}")
    states: list[str] = []
    rhs: list[str] = []
    helpers: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, line in _logical_lines(text):
        m = _STATE_LINE.match(line)
        kind = "state"
        if m is None:
            m = _HELPER_LINE.match(line)
            kind = "helper"
        if m is None:
            raise ValueError(f"equations line {number}: {line!r} is neither 'dX/dt = "
                             "expression' nor 'name = expression'")
        name, expr = m.group(1), normalize(m.group(2))
        check_name(kind, name)
        if not expr:
            raise ValueError(f"equations line {number}: the expression for {name!r} is "
                             "empty")
        if name in seen:
            raise ValueError(f"equations line {number}: {name!r} is defined twice (first "
                             f"on line {seen[name]})")
        seen[name] = number
        if kind == "state":
            if helpers:
                raise ValueError(f"equations line {number}: the state equation of {name!r} "
                                 "comes after a helper definition; write every 'dX/dt' "
                                 "line first, then the helpers")
            states.append(name)
            rhs.append(expr)
        else:
            helpers.append((name, expr))
    if not states:
        raise ValueError("equations must contain at least one 'dX/dt = expression' line "
                         "(a state and its equation)")
    return Equations(tuple(states), tuple(rhs), tuple(helpers))


def parse_threshold(text: str | None, states: tuple[str, ...]) -> Threshold | None:
    """Read a spike condition such as ``"V >= V_peak"``.

    Raises
    ------
    ValueError
        If the text is not ``state >= expression`` (or ``>``) with a known state.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"threshold must be a string such as 'V >= V_peak', got {text!r}")
    m = _THRESHOLD.match(text)
    if m is None:
        raise ValueError(f"threshold must read 'state >= expression' (e.g. 'V >= V_peak'), "
                         f"got {text!r}")
    state, expr = m.group(1), normalize(m.group(3))
    if state not in states:
        raise ValueError(f"threshold {text!r}: {state!r} is not a state; states are "
                         f"{', '.join(states)}")
    return Threshold(state, expr)


def parse_reset(text: str | None, states: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Read reset assignments such as ``"V = V_reset; w = w + b"``.

    Assignments are separated by ``;`` or new lines and act together: every right-hand
    side sees the state just before the reset.

    Raises
    ------
    ValueError
        If an assignment is malformed, names something other than a state, or sets a
        state twice.
    """
    if text is None:
        return ()
    if not isinstance(text, str):
        raise ValueError(f"reset must be a string such as 'V = V_reset; w = w + b', got "
                         f"{text!r}")
    out: list[tuple[str, str]] = []
    for part in re.split(r"[;\n]", text):
        part = part.split("#", 1)[0].strip()
        if not part:
            continue
        m = _HELPER_LINE.match(part)
        if m is None or not m.group(2).strip():
            raise ValueError(f"reset assignment {part!r} must read 'state = expression'")
        name, expr = m.group(1), normalize(m.group(2))
        if name not in states:
            raise ValueError(f"reset assignment {part!r}: {name!r} is not a state; states "
                             f"are {', '.join(states)}")
        if any(name == n for n, _ in out):
            raise ValueError(f"reset sets {name!r} twice")
        out.append((name, expr))
    if not out:
        raise ValueError(f"reset must assign at least one state, got {text!r}")
    return tuple(out)
