"""Interactive dashboards of the course (ipywidgets), one module per topic.

Every app is built on :class:`neurolab.widgets.core.App`: controls from model metadata,
a figure redrawn by blitting, errors shown beside the controls. Each module exposes a
lower-case factory, imported here, e.g. ``from neurolab.widgets import playground``.
"""

# Each line re-exports one module's factories; helpers append their own lines.
# ruff: noqa: F401, I001

from .excitability import excitability_explorer
from .explorer import explorer
from .phase_portrait import phase_portrait, trace_determinant_explorer
from .playground import playground
from .resonance import impedance_explorer, pulse_interval_explorer
from .biology import action_potential, nernst_calculator, refractory_periods
from .spike_trains import poisson_spikes, rate_estimation
from .hodgkin_huxley import hh_gating
from .bifurcation_primer import bifurcation_explorer, normal_form_explorer
from .integrate_and_fire import lif_fi_curve, lif_limits, lif_trace
from .rate_neurons import rate_unit, universal_approximation
from .conductance import cable_explorer, persistent_sodium_line, rc_circuit
from .izhikevich import izhikevich_patterns
