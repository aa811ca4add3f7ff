"""Labelled schematics drawn from matplotlib patches (the course downloads no images).

- :func:`draw_neuron`: a neuron from dendrites to synapses, with the direction of signal flow.
- :func:`draw_rc_circuit`: the membrane as an electric circuit (capacitor in parallel with
  one conductance-battery branch per ion channel, and the injected current).
- :func:`draw_cable`: a passive cable as a chain of RC compartments joined by axial
  resistors.

Each function draws on a given Axes, fixes its limits, hides the frame and returns a dict
part name -> :class:`Part` (the part's artists and its label), so a test or a notebook can
find every piece.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon
from matplotlib.text import Text

from ._validation import check_int

__all__ = ["Part", "draw_neuron", "draw_rc_circuit", "draw_cable"]

_INK = "0.15"
_LABEL = {"fontsize": 9, "color": _INK}


@dataclass
class Part:
    """One labelled part of a schematic.

    Attributes
    ----------
    artists : list of matplotlib.artist.Artist
        What draws the part.
    label : matplotlib.text.Text or None
        Its label.
    """

    artists: list[Any] = field(default_factory=list)
    label: Text | None = None


def _setup(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _callout(ax: Axes, text: str, xy: tuple[float, float], xytext: tuple[float, float],
             **kw: Any) -> Text:
    """A label at ``xytext`` with a thin leader line to ``xy`` (data coordinates)."""
    style = {**_LABEL, "ha": "center", "va": "center", **kw}
    return ax.annotate(text, xy=xy, xytext=xytext, annotation_clip=False,
                       arrowprops={"arrowstyle": "-", "color": "0.45", "lw": 0.7,
                                   "shrinkA": 2, "shrinkB": 1},
                       **style)


# ============================================================================ neuron
def _branches(x: float, y: float, angle: float, length: float, width: float, depth: int,
              segs: list, widths: list, tips: list) -> None:
    """Binary dendritic tree, deterministic: each branch splits in two, 35 degrees apart."""
    x1 = x + length * math.cos(angle)
    y1 = y + length * math.sin(angle)
    segs.append([(x, y), (x1, y1)])
    widths.append(width)
    if depth == 0:
        tips.append(((x, y), (x1, y1), angle))
        return
    for turn in (-0.33, 0.33):
        _branches(x1, y1, angle + turn, length * 0.72, width * 0.65, depth - 1, segs,
                  widths, tips)


def draw_neuron(ax: Axes) -> dict[str, Part]:
    """A labelled schematic neuron: signal flows from the dendrites to the synapses.

    Parts: "dendrites", "dendritic spines", "soma", "nucleus", "axon hillock", "axon",
    "myelin sheath", "node of Ranvier", "axon terminals", "synapse", "signal flow".

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Returns
    -------
    dict of str to Part
    """
    _setup(ax, (0.0, 120.0), (-6.0, 52.0))
    parts: dict[str, Part] = {}
    body = "#f4c7a1"
    edge = "#9c5b2e"
    sx, sy, r = 34.0, 26.0, 6.0

    # Dendritic tree: three primary dendrites reaching left.
    segs: list = []
    widths: list = []
    tips: list = []
    for ang in (math.radians(150), math.radians(180), math.radians(210)):
        _branches(sx - r * 0.8 * math.cos(ang + math.pi) * -1, sy + r * 0.8 * math.sin(ang),
                  ang, 9.0, 5.0, 2, segs, widths, tips)
    dend = LineCollection(segs, linewidths=widths, colors=body, capstyle="round", zorder=2)
    dend_edge = LineCollection(segs, linewidths=np.array(widths) + 1.4, colors=edge,
                               capstyle="round", zorder=1)
    ax.add_collection(dend_edge)
    ax.add_collection(dend)
    # Spines: short stubs with a head along the terminal branches.
    spines = []
    for (x0, y0), (x1, y1), ang in tips:
        for frac, side in ((0.35, 1), (0.6, -1), (0.85, 1)):
            px, py = x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)
            nx, ny = -math.sin(ang) * side, math.cos(ang) * side
            hx, hy = px + 1.3 * nx, py + 1.3 * ny
            (stub,) = ax.plot([px, hx], [py, hy], color=edge, lw=0.8, zorder=2)
            spines += [stub, ax.add_patch(Circle((hx, hy), 0.45, fc=body, ec=edge, lw=0.7,
                                                 zorder=3))]
    lowest = min(tips, key=lambda t: t[1][1])
    top = max(tips, key=lambda t: t[1][1])
    parts["dendrites"] = Part([dend, dend_edge],
                              _callout(ax, "dendrites", top[1], (12.0, 49.0)))
    (tx0, ty0), (tx1, ty1), _ = lowest
    parts["dendritic spines"] = Part(spines, _callout(
        ax, "dendritic spines", (tx0 + 0.6 * (tx1 - tx0), ty0 + 0.6 * (ty1 - ty0) - 1.2),
        (12.0, 4.0)))

    # Soma and nucleus.
    soma = ax.add_patch(Circle((sx, sy), r, fc=body, ec=edge, lw=1.4, zorder=4))
    parts["soma"] = Part([soma], _callout(ax, "soma (cell body)", (sx - 2, sy + r - 0.5),
                                          (34.0, 47.0)))
    nucleus = ax.add_patch(Circle((sx - 1.0, sy + 0.5), 2.4, fc="#b07ab8", ec="#6d3f75",
                                  lw=1.0, zorder=5))
    parts["nucleus"] = Part([nucleus], _callout(ax, "nucleus", (sx - 1.5, sy - 1.8),
                                                (30.0, 7.0)))

    # Axon hillock: a cone from the soma to the axon.
    ay = sy
    hill = Polygon([(sx + r * 0.85, ay + 3.0), (sx + r + 5.0, ay + 0.9),
                    (sx + r + 5.0, ay - 0.9), (sx + r * 0.85, ay - 3.0)], closed=True,
                   fc=body, ec=edge, lw=1.2, zorder=3)
    ax.add_patch(hill)
    hx = sx + r + 2.5
    parts["axon hillock"] = Part([hill], _callout(ax, "axon hillock\n(spikes start here)",
                                                  (hx, ay - 1.5), (46.0, 9.0)))

    # Axon with myelin segments and nodes of Ranvier.
    x_start, x_end = sx + r + 5.0, 96.0
    (axon,) = ax.plot([x_start, x_end], [ay, ay], color=edge, lw=3.2, zorder=2,
                      solid_capstyle="butt")
    (axon_in,) = ax.plot([x_start, x_end], [ay, ay], color=body, lw=1.8, zorder=2,
                         solid_capstyle="butt")
    myelin, nodes = [], []
    seg_len, gap = 9.0, 1.6
    x = x_start + 1.2
    while x + seg_len <= x_end - 1.0:
        myelin.append(ax.add_patch(FancyBboxPatch((x, ay - 1.6), seg_len, 3.2,
                                                  boxstyle="round,pad=0,rounding_size=1.4",
                                                  fc="#fff3c4", ec="#b59a3a", lw=1.0,
                                                  zorder=3)))
        nodes.append(x + seg_len + gap / 2)
        x += seg_len + gap
    parts["axon"] = Part([axon, axon_in], _callout(ax, "axon", (x_start + 1.2 + seg_len / 2,
                                                                 ay + 1.6), (60.0, 38.0)))
    parts["myelin sheath"] = Part(myelin, _callout(
        ax, "myelin sheath", (x_start + 1.2 + 1.5 * seg_len + gap, ay - 1.6), (66.0, 9.0)))
    node_x = nodes[1] if len(nodes) > 1 else nodes[0]
    parts["node of Ranvier"] = Part([], _callout(ax, "node of Ranvier", (node_x, ay + 1.0),
                                                 (82.0, 38.0)))

    # Axon terminals: the axon fans out into branches ending in boutons (synapses).
    term_segs, boutons = [], []
    for dy in (-7.0, -2.5, 2.5, 7.0):
        end = (x_end + 9.0, ay + dy)
        term_segs.append([(x_end, ay), end])
        boutons.append(ax.add_patch(Circle(end, 1.1, fc=body, ec=edge, lw=1.0, zorder=3)))
    terms = LineCollection(term_segs, colors=edge, linewidths=1.6, zorder=2)
    ax.add_collection(terms)
    parts["axon terminals"] = Part([terms], _callout(ax, "axon terminals",
                                                     (x_end + 4.5, ay + 3.5),
                                                     (104.0, 42.0)))
    # A synapse: a bouton facing the next cell's dendrite across the cleft.
    bx, by = x_end + 9.0, ay - 7.0
    post = ax.add_patch(FancyBboxPatch((bx + 1.9, by - 3.0), 2.2, 6.0,
                                       boxstyle="round,pad=0,rounding_size=0.8",
                                       fc="#cfe3f5", ec="#3f6f99", lw=1.0, zorder=3))
    vesicles = [ax.add_patch(Circle((bx + dx, by + dy), 0.25, fc="#3f6f99", lw=0, zorder=4))
                for dx, dy in ((-0.3, 0.4), (0.3, -0.2), (0.2, 0.5))]
    parts["synapse"] = Part([boutons[0], post, *vesicles], _callout(
        ax, "synapse\n(onto the next cell)", (bx + 2.0, by - 2.0), (108.0, 7.0)))

    # Direction of signal flow.
    flow = FancyArrowPatch((8.0, -1.0), (112.0, -1.0), arrowstyle="-|>", mutation_scale=14,
                           color="tab:red", lw=1.5, zorder=1, alpha=0.85)
    ax.add_patch(flow)
    parts["signal flow"] = Part([flow], ax.text(60.0, -3.6, "direction of signal flow: "
                                                "dendrites → soma → axon → synapses",
                                                color="tab:red", fontsize=9, ha="center",
                                                va="center"))
    return parts


# ============================================================================ circuit parts
def _zigzag(ax: Axes, x: float, y0: float, y1: float, *, horizontal: bool = False,
            amp: float = 0.25, n: int = 6, **kw: Any) -> Any:
    """A resistor between (x, y0) and (x, y1), or along y = x from y0 to y1 if
    ``horizontal``, with short straight leads."""
    t = np.linspace(0.0, 1.0, 2 * n + 1)
    offs = np.zeros_like(t)
    offs[1:-1:2] = amp
    offs[2:-1:2] = -amp
    lead = 0.15 * (y1 - y0)
    s = np.r_[y0, y0 + lead + t * (y1 - y0 - 2 * lead), y1]
    o = np.r_[0.0, offs, 0.0]
    xs, ys = (s, x + o) if horizontal else (x + o, s)
    (line,) = ax.plot(xs, ys, color=_INK, lw=1.3, solid_joinstyle="miter", **kw)
    return line


def _capacitor(ax: Axes, x: float, y0: float, y1: float, *, horizontal: bool = False,
               w: float = 0.45) -> list[Any]:
    """Two parallel plates across the middle of a wire from y0 to y1."""
    mid, g = 0.5 * (y0 + y1), 0.1 * abs(y1 - y0)
    if horizontal:
        return [*ax.plot([y0, mid - g], [x, x], color=_INK, lw=1.3),
                *ax.plot([mid + g, y1], [x, x], color=_INK, lw=1.3),
                *ax.plot([mid - g, mid - g], [x - w, x + w], color=_INK, lw=2.2),
                *ax.plot([mid + g, mid + g], [x - w, x + w], color=_INK, lw=2.2)]
    return [*ax.plot([x, x], [y0, mid - g], color=_INK, lw=1.3),
            *ax.plot([x, x], [mid + g, y1], color=_INK, lw=1.3),
            *ax.plot([x - w, x + w], [mid - g, mid - g], color=_INK, lw=2.2),
            *ax.plot([x - w, x + w], [mid + g, mid + g], color=_INK, lw=2.2)]


def _battery(ax: Axes, x: float, y0: float, y1: float) -> list[Any]:
    """A battery (long plate +, short plate -) in a vertical wire from y0 (below) to y1."""
    mid, g = 0.5 * (y0 + y1), 0.07 * abs(y1 - y0)
    return [*ax.plot([x, x], [y0, mid - g], color=_INK, lw=1.3),
            *ax.plot([x, x], [mid + g, y1], color=_INK, lw=1.3),
            *ax.plot([x - 0.45, x + 0.45], [mid + g, mid + g], color=_INK, lw=1.6),
            *ax.plot([x - 0.22, x + 0.22], [mid - g, mid - g], color=_INK, lw=3.0)]


_CHANNEL_COLORS = {"Na": "tab:red", "K": "tab:blue", "L": "tab:green", "Ca": "tab:orange",
                   "Cl": "tab:purple"}


def draw_rc_circuit(ax: Axes, channels: Sequence[str] = ("Na", "K", "L")) -> dict[str, Part]:
    """The membrane as an electric circuit.

    Between the outside (top rail) and the inside (bottom rail) of the cell sit, in
    parallel: the injected current source I, the membrane capacitance C_m, and one branch
    per ion channel: a variable conductance g_x (a resistor with an arrow through it) in
    series with a battery E_x, its reversal potential. Kirchhoff's current law across the
    circuit is written underneath.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    channels : sequence of str
        Names of the channels, 1 to 6 of them (e.g. "Na", "K", "L").

    Returns
    -------
    dict of str to Part
        "outside", "inside", "I", "C_m", and "g_x" and "E_x" for each channel x, and
        "equation".
    """
    if isinstance(channels, str) or not isinstance(channels, Sequence):
        raise ValueError(f"channels must be a sequence of channel names, got {channels!r}")
    channels = [str(c) for c in channels]
    check_int("len(channels)", len(channels), 1, 6)
    if len(set(channels)) != len(channels):
        raise ValueError(f"channels must be distinct, got {channels!r}")
    spacing = 2.6
    n_br = 2 + len(channels)
    x0, width = 1.2, spacing * (n_br - 1)
    top, bot = 6.0, 1.0
    _setup(ax, (-0.6, x0 + width + 1.8), (-1.6, 7.6))
    parts: dict[str, Part] = {}
    (rail_t,) = ax.plot([x0, x0 + width], [top, top], color=_INK, lw=1.6)
    (rail_b,) = ax.plot([x0, x0 + width], [bot, bot], color=_INK, lw=1.6)
    parts["outside"] = Part([rail_t], ax.text(x0 + width / 2, top + 0.55,
                                              "outside (extracellular)", ha="center",
                                              **_LABEL))
    parts["inside"] = Part([rail_b], ax.text(x0 + width / 2, bot - 0.55,
                                             "inside (intracellular), potential V",
                                             ha="center", va="top", **_LABEL))
    # Current source I: a circle with an arrow pointing into the cell (inward current).
    xi = x0
    wires = [*ax.plot([xi, xi], [top, 4.1], color=_INK, lw=1.3),
             *ax.plot([xi, xi], [2.9, bot], color=_INK, lw=1.3)]
    src = ax.add_patch(Circle((xi, 3.5), 0.6, fc="white", ec=_INK, lw=1.3))
    arr = ax.add_patch(FancyArrowPatch((xi, 3.95), (xi, 3.05), arrowstyle="-|>",
                                       mutation_scale=9, color=_INK, lw=1.2))
    parts["I"] = Part([*wires, src, arr], ax.text(xi - 0.8, 3.5, "I", ha="right",
                                                  va="center", fontsize=11, color=_INK))
    # Membrane capacitance.
    xc = x0 + spacing
    parts["C_m"] = Part(_capacitor(ax, xc, top, bot), ax.text(xc + 0.6, 3.5, "C$_m$",
                                                              ha="left", va="center",
                                                              fontsize=11, color=_INK))
    # One branch per channel: variable resistor on top, battery below.
    for k, name in enumerate(channels):
        x = x0 + spacing * (k + 2)
        color = _CHANNEL_COLORS.get(name, "0.3")
        res = _zigzag(ax, x, top, 3.7)
        var = FancyArrowPatch((x - 0.55, 4.0), (x + 0.55, 5.6), arrowstyle="-|>",
                              mutation_scale=9, color=color, lw=1.3)
        ax.add_patch(var)
        parts[f"g_{name}"] = Part([res, var], ax.text(x + 0.55, 4.85, f"g$_{{{name}}}$",
                                                      ha="left", va="center", fontsize=11,
                                                      color=color))
        parts[f"E_{name}"] = Part(_battery(ax, x, bot, 3.7), ax.text(
            x + 0.55, 2.35, f"E$_{{{name}}}$", ha="left", va="center", fontsize=11,
            color=color))
    terms = " + ".join(f"g$_{{{c}}}$(E$_{{{c}}}$ − V)" for c in channels)
    parts["equation"] = Part([], ax.text(x0 + width / 2, -1.1,
                                         f"C$_m$ dV/dt = {terms} + I", ha="center",
                                         va="center", fontsize=10, color=_INK))
    return parts


def draw_cable(ax: Axes, n: int = 5) -> dict[str, Part]:
    """A passive cable as a chain of n RC compartments joined by axial resistors.

    Each compartment is a patch of membrane: a capacitance c_m in parallel with a
    resistance r_m between the inside and the outside; neighbouring compartments are
    joined through the cytoplasm by the axial resistance r_a. Current I enters at the
    left end; the right end is sealed.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    n : int
        Number of compartments, 1 to 12.

    Returns
    -------
    dict of str to Part
        "inside", "outside", "axial resistance", "membrane capacitance", "membrane
        resistance", "compartment", "I".
    """
    n = check_int("n", n, 1, 12)
    pitch = 4.0
    x0 = 1.6
    top, bot = 5.0, 1.0
    width = pitch * (n - 1) + 1.6
    lo, hi = -0.5, x0 + width + 0.8
    pad = max(0.0, 13.0 - (hi - lo)) / 2  # room for the labels of a short chain
    _setup(ax, (lo - pad, hi + pad), (-1.1, 6.9))
    parts: dict[str, Part] = {}
    (rail_b,) = ax.plot([x0, x0 + width], [bot, bot], color=_INK, lw=1.6)
    parts["outside"] = Part([rail_b], ax.text(x0 + width / 2, bot - 0.55,
                                              "outside (extracellular)", ha="center",
                                              va="top", **_LABEL))
    axial, caps, ress, inside = [], [], [], []
    for k in range(n):
        xl = x0 + pitch * k          # capacitor
        xr = xl + 1.6                # resistor
        inside += ax.plot([xl, xr], [top, top], color=_INK, lw=1.6)
        caps += _capacitor(ax, xl, top, bot, w=0.4)
        ress.append(_zigzag(ax, xr, top, bot, amp=0.22))
        if k < n - 1:
            axial.append(_zigzag(ax, top, xr, xr + pitch - 1.6, horizontal=True, amp=0.22,
                                 n=5))
    parts["inside"] = Part(inside, ax.text(x0 + width / 2, top + 1.2, "inside (cytoplasm)",
                                           ha="center", **_LABEL))
    parts["membrane capacitance"] = Part(caps, ax.text(x0 - 0.45, 3.0, "c$_m$", ha="right",
                                                       va="center", fontsize=11,
                                                       color=_INK))
    parts["membrane resistance"] = Part(ress, ax.text(x0 + 2.0, 3.0, "r$_m$", ha="left",
                                                      va="center", fontsize=11, color=_INK))
    label_ax = ax.text(x0 + 3.6, top + 0.55, "r$_a$", ha="center", fontsize=11, color=_INK)
    parts["axial resistance"] = Part(axial, label_ax if n > 1 else None)
    box = ax.add_patch(FancyBboxPatch((x0 - 0.35, bot + 0.3), 2.3, top - bot - 0.6,
                                      boxstyle="round,pad=0,rounding_size=0.3", fc="none",
                                      ec="tab:blue", lw=1.0, ls="--"))
    parts["compartment"] = Part([box], ax.text(x0 + width / 2, -0.6,
                                               "dashed box: one compartment "
                                               "(a patch of membrane)", ha="center",
                                               va="center", fontsize=8, color="tab:blue"))
    arrow = ax.add_patch(FancyArrowPatch((x0, top + 1.3), (x0, top + 0.1), arrowstyle="-|>",
                                         mutation_scale=10, color="tab:red", lw=1.3))
    parts["I"] = Part([arrow], ax.text(x0 + 0.3, top + 1.1, "I", ha="left", fontsize=11,
                                       color="tab:red"))
    return parts

