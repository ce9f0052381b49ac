"""Names of the built-in registered components, known without importing any stage.

The config validates ``stance.scorer``, ``embed.backend`` and the fields of
``corpus.columns`` against these
lists, so a misspelt name fails when the config is read, before any corpus is
loaded or embedded (the config never imports a stage). The stage registries
hold the same names (``analysis.stance.registry.available_scorers()``,
``analysis.embed.backends.BACKENDS``); a test keeps them equal.
"""
from __future__ import annotations

#: Built-in stance scorers (``stance.scorer``); a name carries its version.
STANCE_SCORERS: tuple[str, ...] = ("stance.crossencoder.v1", "stance.learner.v1", "stance.lexicon.v1")

#: Scorers registered at run time by user code (``analysis.stance.register``).
_REGISTERED: set[str] = set()


def add_stance_scorer(name: str) -> None:
    """Make a scorer registered by user code a valid ``stance.scorer`` (called by ``register``)."""
    _REGISTERED.add(name)


def stance_scorer_names() -> tuple[str, ...]:
    """Every valid ``stance.scorer``: the built-in names and those registered since."""
    return tuple(sorted(set(STANCE_SCORERS) | _REGISTERED))

#: Embedding backends (``embed.backend``).
EMBED_BACKENDS: tuple[str, ...] = ("transformer", "static")

#: Article fields a corpus column can feed (``corpus.columns``; the readers' ``ALIASES``).
CORPUS_FIELDS: tuple[str, ...] = ("text", "title", "source", "published", "url", "tags", "article_id",
                                  "language")
