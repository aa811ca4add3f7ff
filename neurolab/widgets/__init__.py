"""Interactive dashboards of the course (ipywidgets), one module per topic.

Every app is built on :class:`neurolab.widgets.core.App`: controls from model metadata,
a figure redrawn by blitting, errors shown beside the controls. Each module exposes a
lower-case factory, e.g. ``from neurolab.widgets import playground``.

Factories are imported lazily from their modules: a dashboard page that shows the
playground does not pay for importing every other app (and the scipy parts they use).
"""

from __future__ import annotations

from .._lazy import lazy_exports

#: Factory name -> module that defines it.
_EXPORTS = {
    "explorer": "explorer",
    "playground": "playground",
    "model_editor": "model_editor",
    "excitability_explorer": "excitability",
    "phase_portrait": "phase_portrait",
    "trace_determinant_explorer": "phase_portrait",
    "impedance_explorer": "resonance",
    "pulse_interval_explorer": "resonance",
    "action_potential": "biology",
    "nernst_calculator": "biology",
    "refractory_periods": "biology",
    "poisson_spikes": "spike_trains",
    "rate_estimation": "spike_trains",
    "hh_gating": "gating",
    "bifurcation_explorer": "bifurcation_primer",
    "normal_form_explorer": "bifurcation_primer",
    "lif_fi_curve": "integrate_and_fire",
    "lif_limits": "integrate_and_fire",
    "lif_trace": "integrate_and_fire",
    "rate_unit": "rate_neurons",
    "universal_approximation": "rate_neurons",
    "cable_explorer": "conductance",
    "persistent_sodium_line": "conductance",
    "rc_circuit": "conductance",
    "izhikevich_patterns": "patterns",
    "pattern_gallery": "patterns",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
