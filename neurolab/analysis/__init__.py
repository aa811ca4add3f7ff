"""Analysis: phase planes, bifurcations, excitability, spike trains and biophysics.

Names are imported lazily from their submodules, so ``import neurolab`` stays fast and a
notebook pays for scipy only when it uses the analysis.
"""

from __future__ import annotations

from .._lazy import lazy_exports

_EXPORTS = {
    # results
    "FixedPoint": "results", "Nullclines": "results", "EquilibriumBranch": "results",
    "LimitCycleBranch": "results", "Bifurcation": "results",
    "BifurcationDiagram": "results", "KINDS": "results", "BIFURCATION_KINDS": "results",
    # phase plane
    "vector_field": "phase_plane", "nullclines": "phase_plane",
    "fixed_points": "phase_plane", "classify": "phase_plane",
    "trace_determinant": "phase_plane", "separatrix": "phase_plane",
    "basins": "phase_plane", "trajectory": "phase_plane",
    "TraceDeterminant": "phase_plane", "default_window": "phase_plane",
    # bifurcations
    # (module "bifurcation", singular: a submodule named like its function "bifurcations"
    # would replace the function on the package once imported)
    "equilibrium_branch": "bifurcation", "limit_cycles": "bifurcation",
    "bifurcations": "bifurcation", "bifurcation_diagram": "bifurcation",
    "first_lyapunov_coefficient": "bifurcation", "normal_form": "normal_forms",
    "normal_form_diagram": "normal_forms", "NORMAL_FORMS": "normal_forms",
    "normal_form_trajectory": "normal_forms", "hysteresis_sweep": "normal_forms",
    # excitability
    "fi_curve": "excitability", "rheobase": "excitability",
    "excitability_class": "excitability", "impedance": "excitability",
    "resonant_frequency": "excitability", "integrator_or_resonator": "excitability",
    "pulse_pair_response": "excitability", "three_pulse_experiment": "excitability",
    "refractory_response": "excitability",
    "action_potential_stages": "excitability", "Stages": "excitability",
    # spike trains
    "poisson_spike_train": "spike_trains", "response_function": "spike_trains",
    "isi": "spike_trains", "cv": "spike_trains", "fano_factor": "spike_trains",
    "psth": "spike_trains", "firing_rate": "spike_trains",
    "poisson_probability": "spike_trains",
    # passive membrane
    "passive_step_response": "passive",
    # biophysics
    "nernst": "biophysics", "ghk_potential": "biophysics",
    "thermal_voltage": "biophysics", "IonSet": "biophysics", "ION_SETS": "biophysics",
    "MAMMALIAN_NEURON": "biophysics", "SQUID_AXON": "biophysics",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
