"""Field names and values: aliases resolved, values coerced to plain types."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

#: Canonical field -> accepted input names (compared after :func:`norm_key`).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "full_text", "article_text", "body_text", "article_body",
             "article", "story"),
    "title": ("title", "headline", "headline_text", "heading", "article_title"),
    "source": ("source", "outlet", "outlet_name", "publisher", "source_name", "publication",
               "newspaper", "site_name", "media_outlet", "media_name", "media", "domain"),
    "published": ("published", "date", "published_at", "publication_date", "pub_date",
                  "publish_date", "pubdate", "published_date", "datetime", "date_time", "timestamp",
                  "seendate"),
    "url": ("url", "link", "article_url", "permalink"),
    "tags": ("tags", "tag", "labels"),
    "article_id": ("article_id", "id", "doc_id", "uid"),
    "language": ("language", "lang"),
}


#: Where a lower-case letter or digit meets an upper-case one ("publishedAt").
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
#: Keys of an object value that hold its text: news APIs give the outlet as {"name": ...} (NewsAPI)
#: or {"title": ...} (Event Registry); WordPress gives title and content as {"rendered": ...}.
OBJECT_TEXT_KEYS = ("name", "title", "rendered", "text", "value")


class FieldError(ValueError):
    """A field value that cannot be used (the record is rejected)."""


def norm_key(key: Any) -> str:
    """Lower-case a field name and unify spaces, dashes and camelCase to underscores.

    ``"Body Text"``, ``"body-text"`` and ``"bodyText"`` are all ``"body_text"``;
    ``"publishedAt"`` is ``"published_at"``; ``"ID"`` stays ``"id"``.
    """
    return re.sub(r"[\s\-]+", "_", _CAMEL.sub("_", str(key).strip()).lower())


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas NA (never for lists or arrays)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    kind = type(value).__name__
    return kind in {"NAType", "NaTType"} or (kind.startswith("float") and value != value)


def has_value(value: Any) -> bool:
    """The value says something: not missing (:func:`is_missing`) and not an empty or blank string."""
    return not is_missing(value) and not (isinstance(value, str) and (not value or value.isspace()))


def pick_fields(record: Mapping[str, Any], columns: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Map a record's fields onto the canonical names of :data:`ALIASES`.

    ``columns`` maps canonical names to the exact input field to use (e.g.
    ``{"text": "Body Text"}``); other fields use the first alias present with
    a value. Unknown fields are ignored. Missing fields are absent from the
    result.
    """
    return {name: value for name, (_, value) in pick_fields_from(record, columns).items()}


def pick_fields_from(record: Mapping[str, Any],
                     columns: Mapping[str, str] | None = None) -> dict[str, tuple[str, Any]]:
    """Like :func:`pick_fields`, but each value comes with the input key it was read from."""
    by_key: dict[str, tuple[str, Any]] = {}
    for key, value in record.items():
        by_key.setdefault(norm_key(key), (str(key), value))
    columns = dict(columns or {})
    out: dict[str, tuple[str, Any]] = {}
    for name, aliases in ALIASES.items():
        if name in columns:
            wanted = columns[name]
            found = (wanted, record[wanted]) if wanted in record else by_key.get(norm_key(wanted))
            candidates = [found]
        else:
            candidates = [by_key.get(alias) for alias in aliases]
        for found in candidates:
            if found is None:
                continue
            value = found[1]
            if has_value(value):
                out[name] = found
                break
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def repair_surrogates(fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Replace unpaired UTF-16 surrogates in string fields (and tag lists) by U+FFFD.

    They come from JSON ``\\ud83d`` escapes of emoji cut in half and cannot
    be stored as UTF-8. Returns the repaired fields and one note per field
    changed, naming the first bad character and its position.
    """
    notes: list[str] = []
    out = dict(fields)
    for name, value in fields.items():
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
            items = list(value)
        else:
            continue
        bad = [(i, m) for i, item in enumerate(items) if isinstance(item, str)
               for m in [_SURROGATE.search(item)] if m]
        if not bad:
            continue
        first = bad[0][1]
        count = sum(len(_SURROGATE.findall(items[i])) for i, _ in bad)
        notes.append(f"{name} had {count} unpaired surrogate(s) (first U+{ord(first.group()):04X} at "
                     f"character {first.start()}); replaced by U+FFFD")
        fixed = [_SURROGATE.sub("\ufffd", item) if isinstance(item, str) else item for item in items]
        out[name] = fixed[0] if isinstance(value, str) else fixed
    return out, notes


def as_text(value: Any, name: str) -> str:
    """Coerce a text-like field to ``str``; bytes must be UTF-8."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise FieldError(f"{name} is not valid UTF-8") from None
    if isinstance(value, Mapping):
        for key in OBJECT_TEXT_KEYS:
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
        keys = ", ".join(repr(str(k)) for k in list(value)[:8])
        raise FieldError(f"{name} is an object without a text under {', '.join(OBJECT_TEXT_KEYS)} "
                         f"(its keys: {keys or 'none'})")
    if isinstance(value, bool) or not _is_scalar(value):
        raise FieldError(f"{name} is a {type(value).__name__}, not a string")
    return str(value)


def as_body(value: Any) -> str:
    """The article text: a string, or a list of paragraph strings (scrapers often give one),
    joined by blank lines; blank paragraphs are dropped."""
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        items = list(value)
        if not all(isinstance(item, str) for item in items):
            kinds = sorted({type(item).__name__ for item in items if not isinstance(item, str)})
            raise FieldError(f"text is a list holding {', '.join(kinds)} values, not only paragraph strings")
        return "\n\n".join(item.strip() for item in items if item.strip())
    return as_text(value, "text")


def as_optional_text(value: Any, name: str) -> str | None:
    """Like :func:`as_text`, but missing or blank values give ``None``."""
    if value is None or is_missing(value):
        return None
    text = " ".join(as_text(value, name).split())
    return text or None


def as_tags(value: Any) -> list[str]:
    """Tags as a list of distinct non-empty strings, in input order.

    Accepts a list (or array), a JSON list in a string, or a string
    separated by ``;`` (preferred when present) or ``,``.
    """
    if value is None or is_missing(value):
        return []
    if isinstance(value, (bytes, bytearray)):
        value = as_text(value, "tags")
    if isinstance(value, Mapping):
        raise FieldError(f"tags is a {type(value).__name__}, not a list or string")
    if isinstance(value, str):
        items = _split_tags(value.strip())
    elif hasattr(value, "__iter__"):
        items = [item for item in value if not is_missing(item)]
    else:
        items = [value]
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _split_tags(text: str) -> list[Any]:
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
    sep = ";" if ";" in text else ","
    return text.split(sep)


def _is_scalar(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    return type(value).__module__ == "numpy" and not hasattr(value, "__len__")


def has_field(record: Mapping[str, Any], name: str, columns: Mapping[str, str] | None = None) -> bool:
    """True if ``record`` has a field for canonical ``name`` (even an empty one)."""
    columns = columns or {}
    keys = {norm_key(key) for key in record}
    wanted = [columns[name]] if name in columns else list(ALIASES[name])
    return any(w in record or norm_key(w) in keys for w in wanted)


def text_field_names(columns: Mapping[str, str] | None = None) -> str:
    """The input names tried for the text, for messages."""
    if columns and "text" in columns:
        return repr(columns["text"])
    return ", ".join(ALIASES["text"])
