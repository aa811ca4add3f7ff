"""The playground, the course's front page: pick a model, then explore it.

A model picker and a reset button above one :class:`~neurolab.widgets.explorer.Explorer`;
picking another model rebuilds the explorer's controls and panels in place (same figure,
same page), and a one-line description names the model and its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from ..models.registry import registered
from .explorer import Explorer, resolve_model

__all__ = ["Playground", "playground"]

def _titles() -> dict[str, type]:
    """Menu title -> class of every registered model, in menu order."""
    return {cls.title: cls for cls in registered().values()}


def _name_of(model: Any) -> str:
    cls = type(resolve_model(model))
    titles = _titles()
    if titles.get(cls.title) is not cls:
        raise ValueError(f"model {cls.__name__} is not registered (define it with "
                         "define_model(..., register_model=True))")
    return cls.title


class Playground:
    """Model picker + explorer (see :func:`playground`).

    Attributes
    ----------
    picker : ipywidgets.Dropdown
        The model, by the menu titles of every registered model (built-in ones and
        any defined in the notebook before the playground was made).
    reset_button : ipywidgets.Button
    about : ipywidgets.HTML
        Description and source of the model shown.
    explorer : Explorer
        The linked trace and phase portrait (its first control is the current slider).
    widget : ipywidgets.VBox
    """

    def __init__(self, model: Any = None,
                 panels: Sequence[str] = ("trace", "phase"), **kwargs: Any) -> None:
        name = _name_of(model)
        self.picker = W.Dropdown(options=list(_titles()), value=name, description="model",
                                 style={"description_width": "4em"},
                                 layout=W.Layout(width="20em"))
        self.reset_button = W.Button(description="reset",
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
                            f"{_titles()[name].description}</span>")

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


def playground(model: Any = None, panels: Sequence[str] = ("trace", "phase"),
               **kwargs: Any) -> Playground:
    """The course's front page: pick a model, move its current and parameters, and watch
    the voltage trace and the phase portrait respond.

    Parameters
    ----------
    model : str, Model or None
        Model shown first (default: the first of the menu).
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
