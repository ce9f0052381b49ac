"""Raw records: what every reader yields before validation."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

#: Longest ``raw`` excerpt kept in the rejects table.
RAW_LIMIT = 500


@dataclass(frozen=True)
class RawRecord:
    """One input record, located in its file.

    ``fields`` holds the record's fields (any names; aliases are resolved
    later) or is ``None`` when the reader could not parse the record, in
    which case ``error`` says why. ``raw`` is the record's source text.
    """

    file: str
    position: str
    fields: dict[str, Any] | None
    raw: str
    error: str | None = None

    @property
    def where(self) -> str:
        """``"<file> <position>"``, the prefix of every message about it."""
        return f"{self.file} {self.position}"


@dataclass
class ReadResult:
    """Records of one input path, plus file-level warnings (e.g. encoding)."""

    records: list[RawRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        """Append another result's records and warnings to this one."""
        self.records.extend(other.records)
        self.warnings.extend(other.warnings)


def bad(file: str, position: str, raw: str, error: str) -> RawRecord:
    """A record the reader could not parse."""
    return RawRecord(file, position, None, raw, error)


def printable(text: str) -> str:
    """``text`` made encodable as UTF-8: unpaired surrogates become ``\\udcff`` escapes.

    Such characters come from file names that are not UTF-8 and from JSON
    ``\\ud800`` escapes; left in, they would make every table write fail.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def truncate_raw(raw: str, limit: int = RAW_LIMIT) -> str:
    """Shorten ``raw`` to ``limit`` characters (ellipsis marks the cut), made printable."""
    return printable(raw if len(raw) <= limit else raw[:limit] + "…")


def raw_of(fields: dict[str, Any]) -> str:
    """A readable one-line rendering of a parsed record, for the rejects table."""
    try:
        return json.dumps(fields, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(fields)
