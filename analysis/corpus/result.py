"""The result of loading a corpus, and its empty tables."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..schema import ARTICLES, NEAR_DUPLICATES, REJECTS

#: Always present: pandas ``str`` dtype.
_REQUIRED_TEXT = ("article_id", "text", "origin")
#: May be unknown: ``object`` dtype holding ``str`` or ``None`` (not NaN).
_OPTIONAL_TEXT = ("title", "source", "url", "language")


@dataclass
class CorpusLoad:
    """Accepted articles, rejected records and what was changed on the way.

    ``n_records == len(articles) + len(rejects)`` always holds: every input
    record is either accepted or has a row in ``rejects`` (exact duplicates
    included, counted again in ``n_duplicates``). ``near_duplicates`` lists the
    accepted articles that nearly copy an earlier one (kept, not rejected:
    :mod:`analysis.corpus.neardup`). ``warnings`` lists kept
    articles that were altered (truncated, undated) and file-level notes
    (encoding fallback), each prefixed with file and position.
    """

    articles: pd.DataFrame
    rejects: pd.DataFrame
    n_records: int
    n_duplicates: int
    warnings: list[str] = field(default_factory=list)
    near_duplicates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NEAR_DUPLICATES))

    def messages(self) -> list[str]:
        """Every reject as ``"<file> <position>: <reason>"``, in input order."""
        r = self.rejects
        return [f"{f} {p}: {why}" for f, p, why in zip(r["file"], r["position"], r["reason"])]

    def first_rejects(self, limit: int = 3) -> str:
        """The first ``limit`` rejects as ``"<file> <position>: <reason>"``, joined by ``"; "``.

        When nothing was rejected, the first warnings are given instead (an
        empty file, a folder with nothing readable), or ``"no records found"``.
        """
        messages = self.messages()
        if messages:
            more = f" (and {len(messages) - limit} more)" if len(messages) > limit else ""
            return "; ".join(messages[:limit]) + more
        return "; ".join(self.warnings[:limit]) or "no records found"

    def summary(self) -> str:
        """One line: records seen, accepted, rejected, duplicates, warnings."""
        return (
            f"{self.n_records} records: {len(self.articles)} accepted, {len(self.rejects)} rejected "
            f"({self.n_duplicates} exact duplicates), {len(self.warnings)} warnings"
        )


def articles_frame(rows: list[dict]) -> pd.DataFrame:
    """Build the ARTICLES table with fixed dtypes (also when empty).

    ``article_id``, ``text`` and ``origin`` are ``str``; ``title``,
    ``source``, ``url`` and ``language`` are ``object`` columns of ``str`` or
    ``None``; ``tags`` holds lists; ``published`` is ``datetime64[ns]``.
    """
    frame = pd.DataFrame(rows, columns=ARTICLES)
    for name in _REQUIRED_TEXT:
        frame[name] = frame[name].astype("str")
    for name in _OPTIONAL_TEXT:
        values = [v if isinstance(v, str) else None for v in frame[name]]
        frame[name] = pd.Series(values, index=frame.index, dtype=object)
    frame["published"] = pd.to_datetime(frame["published"]).astype("datetime64[ns]")
    frame["tags"] = frame["tags"].astype(object)
    return frame


def rejects_frame(rows: list[dict]) -> pd.DataFrame:
    """Build the REJECTS table (all columns text, also when empty)."""
    return pd.DataFrame(rows, columns=REJECTS).astype("str")
