"""The playground, the course's front page: pick a model, then explore it.

A model picker and a reset button above one :class:`~neurolab.widgets.explorer.Explorer`;
picking another model rebuilds the explorer's controls and panels in place (same figure,
same page), and a one-line description names the model and its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from ..models import MODELS
from .explorer import Explorer, resolve_model

__all__ = ["Playground", "playground", "MODEL_NOTES"]

#: One line per model: what it is and where it comes from.
MODEL_NOTES: dict[str, str] = {
    "Hodgkin-Huxley": (
        "Squid giant axon: sodium (m³h), potassium (n⁴) and leak currents, four states. "
        "Hodgkin &amp; Huxley (1952), J. Physiol. 117:500. Phase plane: the reduced "
        "(V, n) plane."),
    "Leaky integrate-and-fire": (
        "A leaky membrane (RC circuit) with a fixed threshold and a reset; one state. "
        "Lapicque (1907); see Gerstner et al. (2014), <i>Neuronal Dynamics</i>, ch. 1."),
    "I_Na,p": (
        "Persistent sodium plus leak: one state, a saddle-node bifurcation, and a reset "
        "in place of the downstroke. Izhikevich (2007), <i>Dynamical Systems in "
        "Neuroscience</i>, ch. 4."),
    "I_Na,p + I_K": (
        "Persistent sodium plus a slower potassium gate: two states (V, n). Compare the "
        "presets high- and low-threshold. Izhikevich (2007), ch. 4."),
    "FitzHugh-Nagumo": (
        "A dimensionless two-variable caricature of Hodgkin-Huxley, the classic resonator. "
        "FitzHugh (1961), Biophys. J. 1:445; Nagumo et al. (1962), Proc. IRE 50:2061."),
    "Izhikevich": (
        "Quadratic v and a slow recovery u with a reset: cortical cell types and the 20 "
        "firing patterns as presets. Izhikevich (2003), IEEE Trans. Neural Netw. 14:1569; "
        "(2004) 15:1063."),
}


def _name_of(model: Any) -> str:
    cls = type(resolve_model(model))
    return next(name for name, c in MODELS.items() if c is cls)


class Playground:
    """Model picker + explorer (see :func:`playground`).

    Attributes
    ----------
    picker : ipywidgets.Dropdown
        The model, by the names of :data:`neurolab.models.MODELS`.
    reset_button : ipywidgets.Button
    about : ipywidgets.HTML
        Description and source of the model shown.
    explorer : Explorer
        The linked trace and phase portrait (its first control is the current slider).
    widget : ipywidgets.VBox
    """

    def __init__(self, model: Any = "Hodgkin-Huxley",
                 panels: Sequence[str] = ("trace", "phase"), **kwargs: Any) -> None:
        name = _name_of(model)
        self.picker = W.Dropdown(options=list(MODELS), value=name, description="model",
                                 style={"description_width": "4em"},
                                 layout=W.Layout(width="20em"))
        self.reset_button = W.Button(description="reset", icon="undo",
                                     tooltip="back to this model's default parameters",
                                     layout=W.Layout(width="7em"))
        self.about = W.HTML(layout=W.Layout(margin="0 0 0.5em 0"))
        self.about.add_class("neurolab-about")
        self.explorer = Explorer(model, panels=panels, **kwargs)
        self._describe(name)
        self.picker.observe(self._on_pick, names="value")
        self.reset_button.on_click(self._on_reset)
        self.widget = W.VBox([W.HBox([self.picker, self.reset_button]), self.about,
                              self.explorer.widget])

    def _describe(self, name: str) -> None:
        self.about.value = (f"<span style='font-size:92%'><b>{name}.</b> "
                            f"{MODEL_NOTES[name]}</span>")

    def _on_pick(self, change: Any) -> None:
        self._describe(change.new)
        self.explorer.set_model(change.new)

    def _on_reset(self, _button: Any = None) -> None:
        self.explorer.reset()

    def select(self, name: str) -> None:
        """Show another model, as if picked in the menu (``ValueError`` if unknown)."""
        self.picker.value = _name_of(name)

    @property
    def error(self) -> str:
        """The message in the explorer's error line ('' when none)."""
        return self.explorer.error

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def playground(model: Any = "Hodgkin-Huxley", panels: Sequence[str] = ("trace", "phase"),
               **kwargs: Any) -> Playground:
    """The course's front page: pick a model, move its current and parameters, and watch
    the voltage trace and the phase portrait respond.

    Parameters
    ----------
    model : str or Model
        Model shown first (default Hodgkin-Huxley).
    panels : sequence of str
        Panels of the explorer: any of ``"trace"``, ``"phase"``, ``"fi"``,
        ``"bifurcation"``.
    **kwargs
        Passed to :class:`~neurolab.widgets.explorer.Explorer` (``I``, ``duration``,
        ``stimulus``, ``preset``, ``figsize``).

    Returns
    -------
    Playground
    """
    return Playground(model, panels, **kwargs)
