"""A small registry of stance scorers, addressed by versioned names.

Scorers register themselves with :func:`register` under a name that carries a
version (``"stance.lexicon.v1"``); bump the version whenever a scorer's output
changes, so cached results keyed by the name are never reused by mistake.

The built-in scorers live in modules that are imported only when the registry
is first queried, so importing this module costs nothing.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from analysis.registry_names import add_stance_scorer

#: Modules that register the built-in scorers when imported.
_BUILTIN_MODULES = ("analysis.stance.lexicon", "analysis.stance.learner",
                    "analysis.stance.crossencoder.scorer")

_REGISTRY: dict[str, Callable[..., Any]] = {}


class UnknownScorerError(ValueError):
    """Raised by :func:`get_scorer` for a name nobody registered."""


def register(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Class decorator registering a scorer factory under ``name``.

    Registering the same object twice is harmless (module reloads); registering
    a *different* object under a taken name raises ``ValueError``.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"scorer name must be a non-empty string, got {name!r}")

    def decorator(factory: Callable[..., Any]) -> Callable[..., Any]:
        known = _REGISTRY.get(name)
        if known is not None and _qualname(known) != _qualname(factory):
            raise ValueError(f"scorer name {name!r} is already registered to {_qualname(known)}")
        _REGISTRY[name] = factory
        add_stance_scorer(name)
        return factory

    return decorator


def available_scorers() -> list[str]:
    """Return the sorted names of all registered scorers."""
    _load_builtins()
    return sorted(_REGISTRY)


def get_scorer(name: str, **params: Any) -> Any:
    """Build the scorer registered as ``name`` with keyword ``params``.

    The result is unfitted; call ``fit()`` before predicting. An unknown name
    raises :class:`UnknownScorerError` listing the available names.
    """
    _load_builtins()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        names = ", ".join(repr(n) for n in sorted(_REGISTRY)) or "(none)"
        raise UnknownScorerError(
            f"unknown stance scorer {name!r}; available scorers: {names}"
        ) from None
    return factory(**params)


def _load_builtins() -> None:
    """Import the modules whose import registers the built-in scorers."""
    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def _qualname(obj: Any) -> str:
    """Return ``module.qualname`` of ``obj`` for identity checks and messages."""
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"
