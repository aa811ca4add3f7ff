"""neurolab: model neurons, one fast simulation engine, and the analysis that explains them.

Quick use::

    from neurolab import simulate
    from neurolab.models import HodgkinHuxley
    trace = simulate(HodgkinHuxley(), 100.0, current=10.0)
    trace.V, trace.spike_times
"""

from . import models, stimulus
from .simulate import SimulationDiverged, Trace, simulate, simulate_batch

__version__ = "0.1.0"
__all__ = ["models", "stimulus", "simulate", "simulate_batch", "Trace", "SimulationDiverged"]
