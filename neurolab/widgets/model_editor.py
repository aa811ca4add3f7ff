"""The model editor: type a model's equations in the page and explore it at once.

Text boxes hold the equations (one ``dX/dt = ...`` line per state, then helpers), the
parameters (``name = value`` lines) and, for a hybrid model, the threshold and reset;
**define and explore** turns them into a model with
:func:`neurolab.models.define_model` and shows it in an
:class:`~neurolab.widgets.explorer.Explorer` below (trace, phase plane, bifurcation
diagram). A mistake in the text (an unknown symbol, a syntax error) shows as a short
message beside the button, and the explorer keeps the last model that worked. The text
is parsed by the model language, never run as Python, so a dashboard that offers the
editor runs no code a student types.

The first definition of a new set of equations generates and compiles its code (a few
seconds, shown in the status line); an equation already defined on this machine loads
from the cache.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as W

from ..models._language import parse_equations
from ..models.base import Model
from ..models.define import define_model
from .core import BackgroundJob, ErrorLine
from .explorer import Explorer

__all__ = ["ModelEditor", "model_editor", "parse_parameters"]


def parse_parameters(text: str) -> dict[str, float]:
    """Read ``name = value`` lines (``#`` starts a comment; blank lines are skipped).

    Raises
    ------
    ValueError
        For a line that is not ``name = number``, naming the line and what it holds.
    """
    out: dict[str, float] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, value = (part.strip() for part in line.partition("="))
        if not sep or not name.isidentifier():
            raise ValueError(f"parameters line {number}: {raw.strip()!r} must read "
                             "'name = number'")
        if name in out:
            raise ValueError(f"parameters line {number}: {name!r} is given twice")
        try:
            out[name] = float(value)
        except ValueError:
            raise ValueError(f"parameters line {number}: the value of {name!r} must be a "
                             f"number, got {value!r}") from None
    return out


class ModelEditor:
    """Equations and parameters as text, and an explorer of the model they define.

    Parameters
    ----------
    equations : str
        Starting equations (see :func:`neurolab.models.define_model`).
    parameters : mapping of str to float
        Starting parameter values.
    name : str
        Class name of the model defined.
    threshold, reset : str, optional
        Starting spike condition and reset of a hybrid model.
    panels : sequence of str
        Panels of the explorer (``"trace"``, ``"phase"``, ``"fi"``, ``"bifurcation"``).
    **options
        Further arguments of :func:`~neurolab.models.define_model` kept for every
        definition (units, current range, start current, windows...).

    Attributes
    ----------
    equations, parameters : ipywidgets.Textarea
    threshold, reset : ipywidgets.Text
    define_button : ipywidgets.Button
    explorer : Explorer
        Shows the last model defined without error.
    model_class : type
        That model's class.
    """

    def __init__(self, equations: str, parameters: Mapping[str, float], *,
                 name: str = "MyModel", threshold: str | None = None,
                 reset: str | None = None,
                 panels: Sequence[str] = ("trace", "phase", "bifurcation"),
                 **options: Any) -> None:
        self.name = name
        self.options = dict(options)
        wide = W.Layout(width="100%")
        self.equations = W.Textarea(value=textwrap.dedent(equations).strip(), rows=8,
                                    description="equations", layout=wide,
                                    style={"description_width": "7em"})
        self.equations.add_class("neurolab-equations")
        self.parameters = W.Textarea(
            value="\n".join(f"{k} = {float(v)!r}" for k, v in parameters.items()),
            rows=min(12, max(3, len(parameters))), description="parameters",
            layout=wide, style={"description_width": "7em"})
        self.threshold = W.Text(value=threshold or "", description="threshold",
                                placeholder="hybrid models only, e.g. V >= V_peak",
                                layout=wide, style={"description_width": "7em"})
        self.reset = W.Text(value=reset or "", description="reset",
                            placeholder="e.g. V = V_reset; w = w + b", layout=wide,
                            style={"description_width": "7em"})
        self.define_button = W.Button(description="define and explore",
                                      button_style="primary",
                                      layout=W.Layout(width="14em"))
        self.status = W.HTML()
        self.errors = ErrorLine()
        self.job = BackgroundJob()
        self.model_class = self._define()  # the starting text must be valid
        self.explorer = Explorer(self.model_class(), panels=panels)
        self.define_button.on_click(self._on_define)
        editor = W.VBox([self.equations, self.parameters, self.threshold, self.reset,
                         W.HBox([self.define_button, self.status]), self.errors.widget,
                         self.job.progress],
                        layout=W.Layout(width="100%", max_width="60em"))
        self.widget = W.VBox([editor, self.explorer.widget])

    def _define(self) -> type[Model]:
        options = dict(self.options)
        if "units" in options:  # units of the states the current text still has
            states = parse_equations(self.equations.value).states
            options["units"] = {k: v for k, v in options["units"].items() if k in states}
        return define_model(self.name, self.equations.value,
                            parse_parameters(self.parameters.value),
                            threshold=self.threshold.value.strip() or None,
                            reset=self.reset.value.strip() or None, **options)

    def define(self) -> None:
        """Define the model from the text boxes and show it in the explorer (errors
        are shown beside the button; the explorer keeps its model)."""
        self.errors.clear()
        self.define_button.disabled = True
        self.status.value = ("<span style='color:#555'>defining (new equations are "
                             "compiled once: a few seconds)…</span>")

        def compute(progress: Any) -> type[Model]:
            progress(0.1)
            cls = self._define()
            _ = cls()._engine  # generate and load its code here, off the page's thread
            progress(1.0)
            return cls

        def done(cls: type[Model]) -> None:
            self.model_class = cls
            self.define_button.disabled = False
            self.status.value = (f"<span style='color:#555'>showing {cls.__name__} "
                                 f"({len(cls.state_names)} states)</span>")
            self.explorer.set_model(cls())

        def failed(exc: Exception) -> None:
            self.define_button.disabled = False
            self.status.value = ""
            self.errors.show(str(exc))

        self.job.start(compute, done, failed)

    def _on_define(self, _button: Any = None) -> None:
        self.define()

    @property
    def error(self) -> str:
        """The message beside the button, or the explorer's ('' when none)."""
        return self.errors.message or self.explorer.error

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def model_editor(equations: str, parameters: Mapping[str, float], **kwargs: Any
                 ) -> ModelEditor:
    """Type a model's equations and parameters, then explore it (see
    :class:`ModelEditor`).

    Parameters
    ----------
    equations : str
        One ``dX/dt = ...`` line per state, then helpers ``name = ...``.
    parameters : mapping of str to float
        Parameter names and starting values.
    **kwargs
        ``name``, ``threshold``, ``reset``, ``panels`` and any option of
        :func:`neurolab.models.define_model` (``units``, ``current_unit``,
        ``current_range``, ``start_current``, ``equilibrium_window``, ...).

    Returns
    -------
    ModelEditor
        Displays itself when it is the last expression of a cell.
    """
    return ModelEditor(equations, parameters, **kwargs)
