"""Model neurons: parameters with metadata, presets, equations and citations.

Every spiking model shares the interface of :class:`neurolab.models.base.Model`.
"""

from .base import Model, ParamInfo, param
from .cable import PassiveCable as PassiveCable
from .fitzhugh_nagumo import FitzHughNagumo
from .hodgkin_huxley import HodgkinHuxley, gating_steady_state, hh_rates
from .izhikevich import (
    CORTICAL_TYPES,
    FIRING_PATTERNS,
    FiringPattern,
    Izhikevich,
    firing_pattern,
)
from .izhikevich_network import IzhikevichNetwork, simulate_network  # noqa: F401
from .lif import LIF
from .persistent_sodium import INaP, INaPK, boltzmann
from .rate import OneHiddenLayerNet, RateUnit, relu, sigmoid  # noqa: F401

#: The spiking models by the name a widget shows.
MODELS: dict[str, type[Model]] = {
    "Hodgkin-Huxley": HodgkinHuxley,
    "Leaky integrate-and-fire": LIF,
    "I_Na,p": INaP,
    "I_Na,p + I_K": INaPK,
    "FitzHugh-Nagumo": FitzHughNagumo,
    "Izhikevich": Izhikevich,
}

__all__ = [
    "Model", "ParamInfo", "param", "HodgkinHuxley", "hh_rates", "gating_steady_state", "LIF",
    "INaP", "INaPK", "boltzmann", "FitzHughNagumo", "Izhikevich", "FiringPattern",
    "FIRING_PATTERNS", "CORTICAL_TYPES", "firing_pattern", "MODELS",
]
