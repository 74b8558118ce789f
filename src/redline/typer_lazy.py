"""typer without pydantic for the values a command line gives (0.1 to 0.3 s of a run).

typer (0.2x) converts every parameter's value with a pydantic ``TypeAdapter``, built on
first use for each parameter of the command, so every ``redline check`` imported pydantic
and built about 18 adapters before linting anything, even for parameters left unset.

:func:`install` wraps typer's ``build_runtime_param`` so that a parameter's adapter is built
only when its value needs one. The values whose conversion is plain are converted here,
to what the adapter returns: a ``str`` for ``str``, a list of ``str`` for ``list[str]``, a
``bool`` that is already one, an ``int`` of ASCII digits within the option's bounds, and an
enum member or the exact value of one. Anything else (a path, a number out of range, an
unknown choice) goes to typer's own adapter, with its own conversion and error message.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

_DIGITS = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_MISS = object()


def plain_value(annotation: Any, parameter_info: Any, value: Any) -> Any:
    """``value`` converted as typer's adapter would, or ``_MISS`` to let the adapter do it."""
    if annotation is str:
        return value if type(value) is str else _MISS
    if annotation is bool:
        return value if type(value) is bool else _MISS
    if annotation == list[str]:
        if isinstance(value, (list, tuple)) and all(type(item) is str for item in value):
            return list(value)
        return _MISS
    if annotation is int:
        if type(value) is str and _DIGITS.match(value):
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _MISS
        low, high = parameter_info.min, parameter_info.max
        if (low is not None and number < low) or (high is not None and number > high):
            return _MISS
        return number
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if isinstance(value, annotation):
            return value
        for member in annotation:
            if type(value) is str and type(member.value) is str and member.value == value:
                return member
        return _MISS
    return _MISS


def install() -> None:
    """Make typer build a parameter's pydantic adapter only when a value needs it."""
    import typer.core

    try:  # a typer without these internals (older or newer) is left as it is
        from typer._coercion import RuntimeParam

        original = typer.core.build_runtime_param  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return
    if getattr(original, "redline_lazy", False):
        return

    @dataclass(frozen=True)
    class LazyRuntimeParam(RuntimeParam):
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            plain = plain_value(self.annotation, self.parameter_info, value)
            if plain is not _MISS:
                return plain
            real = self.__dict__.get("real")
            if real is None:
                real = original(self.descriptor)
                object.__setattr__(self, "real", real)
            return real._coerce_value(value, param=param, ctx=ctx)

    def build_runtime_param(descriptor: Any) -> Any:
        if descriptor.file_annotation is not None:
            return original(descriptor)
        return LazyRuntimeParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
        )

    build_runtime_param.redline_lazy = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build_runtime_param  # type: ignore[attr-defined]
