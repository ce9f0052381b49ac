"""What a loaded corpus holds, before any analysis: counts, field coverage, dates, outlets, lengths.

:func:`corpus_profile` turns a :class:`~analysis.corpus.CorpusLoad` into a
plain dict that ``analysis check`` prints, so a researcher sees at once
whether the input was read as meant (a date column that did not parse, an
outlet column that was not found, a file that gave no articles) before a
long run.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from .fields import has_value
from .fingerprint import corpus_fingerprint
from .result import CorpusLoad

#: Optional article fields whose coverage is counted.
FIELDS = ("title", "source", "published", "url", "tags")


def corpus_profile(load: CorpusLoad, top: int = 5) -> dict:
    """Counts, field coverage, date range, top outlets, articles per file and words per article.

    ``top`` bounds the outlets and files listed by name (the counts cover all).
    ``files`` counts articles per input file (a folder's text files count
    as the folder) and lists the files whose every record was rejected.
    """
    articles = load.articles
    words = articles["text"].str.split().str.len() if len(articles) else pd.Series(dtype=int)
    dates = articles["published"].dropna()
    sources = Counter(s for s in articles["source"] if s)
    files = Counter(origin.rsplit(":", 1)[0] for origin in articles["origin"])
    empty = sorted(set(load.rejects["file"]) - set(files))
    return {
        "records": load.n_records, "accepted": len(articles), "rejected": len(load.rejects),
        "duplicates": load.n_duplicates, "warnings": len(load.warnings),
        "coverage": {name: sum(map(_present, articles[name])) for name in FIELDS},
        "dates": (dates.min().date().isoformat(), dates.max().date().isoformat()) if len(dates) else None,
        "sources": {"count": len(sources), "top": sources.most_common(top)},
        "files": {"count": len(files), "top": files.most_common(top), "without_articles": empty},
        "words": ({"min": int(words.min()), "median": int(words.median()), "max": int(words.max())}
                  if len(words) else None),
        "fingerprint": corpus_fingerprint(articles) if len(articles) else None,
    }


def profile_lines(profile: dict) -> list[str]:
    """The profile as short lines of text (what ``analysis check`` prints)."""
    n = profile["accepted"]
    warnings = profile["warnings"]
    lines = [f"records: {profile['records']} read, {n} accepted, {profile['rejected']} rejected "
             f"({profile['duplicates']} exact duplicates), {warnings} warning{'s' if warnings != 1 else ''}"]
    if not n:
        return lines
    cover = ", ".join(f"{name} {count}/{n}" for name, count in profile["coverage"].items())
    lines.append(f"fields: {cover}")
    if profile["dates"]:
        lines.append(f"dates: {profile['dates'][0]} to {profile['dates'][1]}")
    sources = profile["sources"]
    if sources["count"]:
        named = ", ".join(f"{name} {count}" for name, count in sources["top"])
        rest = sources["count"] - len(sources["top"])
        more = f", and {rest} more" if rest else ""
        lines.append(f"outlets: {sources['count']} ({named}{more})")
    lines.extend(_file_lines(profile["files"]))
    words = profile["words"]
    lines.append(f"words per article: {words['min']} to {words['max']} (median {words['median']})")
    lines.append(f"corpus fingerprint: {profile['fingerprint'][:12]} (a run's id also hashes its config)")
    return lines


def _file_lines(files: dict) -> list[str]:
    """Articles per file, when there are several files or a file gave none."""
    lines = []
    if files["count"] > 1:
        named = ", ".join(f"{name} {count}" for name, count in files["top"])
        rest = files["count"] - len(files["top"])
        lines.append(f"files: {files['count']} gave articles ({named}{f', and {rest} more' if rest else ''})")
    empty = files["without_articles"]
    if empty:
        shown = ", ".join(empty[:5]) + (f", and {len(empty) - 5} more" if len(empty) > 5 else "")
        lines.append(f"files whose every record was rejected: {len(empty)} ({shown})")
    return lines


def _present(value) -> bool:
    """A field holds something: a non-empty tag list, or a value that is not missing or blank."""
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return len(value) > 0
    return has_value(value)
