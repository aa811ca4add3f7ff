"""Axes-level matplotlib drawing for the course.

Every ``plot_*`` function draws on a given Axes and returns a handle holding its artists
by name (``handle["line"]``); ``handle.update(...)`` changes their data in place, never
clearing the axes, so the widgets can redraw many times a second. Every axis label
carries its unit, or says "(dimensionless)".
"""

from ._common import PlotHandle, axis_label, convention_text, pretty_unit
from .phase_plane import KIND_MARKERS, PhasePlaneHandle, plot_phase_plane
from .stability import (
    BifurcationHandle,
    EigenvalueHandle,
    NormalFormHandle,
    TraceDeterminantHandle,
    plot_bifurcation_diagram,
    plot_eigenvalues,
    plot_normal_form,
    plot_trace_determinant,
)
from .traces import (
    CurrentHandle,
    FICurveHandle,
    PSTHHandle,
    RasterHandle,
    TraceHandle,
    plot_current,
    plot_fi_curve,
    plot_psth,
    plot_raster,
    plot_trace,
)

__all__ = [
    "PlotHandle", "axis_label", "pretty_unit", "convention_text", "plot_trace",
    "plot_current", "plot_raster", "plot_psth", "plot_fi_curve", "plot_phase_plane",
    "plot_bifurcation_diagram", "plot_normal_form", "plot_trace_determinant",
    "plot_eigenvalues", "KIND_MARKERS", "TraceHandle", "CurrentHandle", "RasterHandle",
    "PSTHHandle", "FICurveHandle", "PhasePlaneHandle", "BifurcationHandle",
    "NormalFormHandle", "TraceDeterminantHandle", "EigenvalueHandle",
]
