"""The one exception the corpus stage raises for unusable input."""
from __future__ import annotations


class CorpusError(Exception):
    """Input that cannot be read at all (missing path, unknown format, corrupt file).

    Problems with single records never raise: they become rows of the
    rejects table. The message always names the path concerned.
    """
