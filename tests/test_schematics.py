"""Tests of the schematics: every part labelled, nothing outside the axes, clean PNGs."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from neurolab.schematics import draw_cable, draw_neuron, draw_rc_circuit  # noqa: E402

NEURON_PARTS = {"dendrites", "dendritic spines", "soma", "nucleus", "axon hillock", "axon",
                "myelin sheath", "node of Ranvier", "axon terminals", "synapse",
                "signal flow"}


def _render(draw, *args, size=(10, 5)):
    """Draw and save to PNG with every warning turned into an error."""
    fig, ax = plt.subplots(figsize=size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = draw(ax, *args)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=60)
    assert buf.getvalue()[:4] == b"\x89PNG"
    return fig, ax, parts


def _inside_axes(fig, ax):
    """Every visible artist's extent lies within the Axes' box (1 px tolerance)."""
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    skip = {ax.xaxis, ax.yaxis, ax.patch, ax.title, ax._left_title, ax._right_title,
            *ax.spines.values()}
    n = 0
    for art in ax.get_children():
        if art in skip or not art.get_visible():
            continue
        ext = art.get_window_extent(renderer)
        if ext.width == 0 and ext.height == 0:
            continue
        n += 1
        assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, art
        assert ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, art
    assert n > 10


def _labels(ax):
    return [t.get_text() for t in ax.texts]


def test_neuron_every_part_labelled_and_inside():
    fig, ax, parts = _render(draw_neuron)
    assert set(parts) == NEURON_PARTS
    texts = " ".join(_labels(ax))
    for name, part in parts.items():
        assert part.label is not None and part.label.get_text() in _labels(ax)
        assert name.split()[0].lower() in part.label.get_text().lower() or name in texts
    assert len(parts["myelin sheath"].artists) >= 3
    assert len(parts["dendritic spines"].artists) > 10
    _inside_axes(fig, ax)
    plt.close(fig)


@pytest.mark.parametrize("channels", [("Na", "K", "L"), ("K",)])
def test_rc_circuit_branches_and_labels(channels):
    fig, ax, parts = _render(draw_rc_circuit, channels)
    expected = {"outside", "inside", "I", "C_m", "equation"}
    expected |= {f"g_{c}" for c in channels} | {f"E_{c}" for c in channels}
    assert set(parts) == expected
    for name in expected - {"equation"}:
        assert parts[name].label.get_text() in _labels(ax)
    eq = parts["equation"].label.get_text()
    assert all(f"E$_{{{c}}}$" in eq for c in channels) and eq.endswith("+ I")
    # A variable conductance is a resistor with an arrow through it.
    assert len(parts[f"g_{channels[0]}"].artists) == 2
    _inside_axes(fig, ax)
    plt.close(fig)


def test_rc_circuit_bad_channels():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="channels"):
        draw_rc_circuit(ax, "NaK")
    with pytest.raises(ValueError, match="channels"):
        draw_rc_circuit(ax, ())
    with pytest.raises(ValueError, match="channels"):
        draw_rc_circuit(ax, ("K", "K"))
    plt.close(fig)


@pytest.mark.parametrize("n", [1, 12])
def test_cable_compartments(n):
    fig, ax, parts = _render(draw_cable, n, size=(12, 4))
    assert len(parts["membrane capacitance"].artists) == 4 * n  # 2 leads + 2 plates each
    assert len(parts["membrane resistance"].artists) == n
    assert len(parts["axial resistance"].artists) == n - 1
    for name in ("inside", "outside", "membrane capacitance", "membrane resistance",
                 "compartment", "I"):
        assert parts[name].label.get_text() in _labels(ax)
    _inside_axes(fig, ax)
    plt.close(fig)


def test_cable_bad_n():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="n must"):
        draw_cable(ax, 0)
    plt.close(fig)
