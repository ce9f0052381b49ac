"""Which input column fed which article field, per file: reported, never guessed silently."""
from __future__ import annotations

from dataclasses import dataclass, field

from .fields import ALIASES, norm_key

#: Fields whose absence is named in the report (the text is required anyway).
_NAMED_WHEN_MISSING = ("title", "source", "published")
#: Input names that count as a field's own name (no report needed when only these are used).
_OWN_NAMES = {"article_id": ("article_id", "id"), "published": ("published", "date")}
#: Most column names listed in one message.
_MAX_NAMES = 20


@dataclass
class _FileUse:
    seen: dict[str, None] = field(default_factory=dict)  # every input key, in first-seen order
    filled: set[str] = field(default_factory=set)  # keys with a value in at least one record
    used: dict[str, dict[str, None]] = field(default_factory=dict)  # field -> keys that fed it


class FieldUse:
    """Collects, record by record, the input keys each canonical field was read from.

    :meth:`lines` gives one line per file that has columns no field read, or
    whose fields were read from aliases (``id`` and ``date`` count as the own
    names of ``article_id`` and ``published``), so a file with unfamiliar
    column names never loses its titles or sources without a word. Files
    whose keys are exactly the field names give no line.
    """

    def __init__(self) -> None:
        self.files: dict[str, _FileUse] = {}

    def note(self, file: str, keys: list[str], used: dict[str, str], filled: list[str] | None = None) -> None:
        """Record that a record of ``file`` had ``keys``, values in ``filled`` of them (default: all)
        and ``used`` (field -> key) of them."""
        use = self.files.setdefault(file, _FileUse())
        for key in keys:
            use.seen.setdefault(key, None)
        use.filled.update(keys if filled is None else filled)
        for name, key in used.items():
            use.used.setdefault(name, {}).setdefault(key, None)

    def lines(self) -> list[str]:
        """The report lines, one per file that needs one (see the class docstring)."""
        out = []
        for file, use in self.files.items():
            read = {key for keys in use.used.values() for key in keys}
            ignored = [key for key in use.seen if key not in read]
            renamed = any(norm_key(key) not in _OWN_NAMES.get(name, (name,))
                          for name, keys in use.used.items() for key in keys)
            if not (ignored or renamed):
                continue
            out.append(_line(file, use, ignored))
        return out


def _line(file: str, use: _FileUse, ignored: list[str]) -> str:
    pairs = [f"{' / '.join(repr(k) for k in keys)} -> {name}"
             for name in ALIASES for keys in [list(use.used.get(name, {}))] if keys]
    parts = [f"{file}: columns read as fields: {', '.join(pairs) or 'none'}"]
    for label, keys in (("ignored columns", [k for k in ignored if k in use.filled]),
                        ("empty columns", [k for k in ignored if k not in use.filled])):
        if keys:
            shown = ", ".join(repr(k) for k in keys[:_MAX_NAMES])
            more = f" and {len(keys) - _MAX_NAMES} more" if len(keys) > _MAX_NAMES else ""
            parts.append(f"{label}: {shown}{more}")
    missing = [name for name in _NAMED_WHEN_MISSING if name not in use.used]
    if missing:
        parts.append("no column for " + ", ".join(missing)
                     + " (known column names: docs/input-formats.md)")
    return "; ".join(parts)
