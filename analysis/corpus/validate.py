"""Validation: raw records to accepted articles and rejects, nothing lost."""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from .dates import numeric_date, numeric_date_order, parse_date
from .decoding import normalize_newlines
from .fieldmap import FieldUse
from .fields import (FieldError, as_body, as_optional_text, as_tags, has_field, has_value, pick_fields_from,
                     repair_surrogates, text_field_names)
from .language import language_note
from .limits import Limits, apply_limits
from .markup import markup_note
from .neardup import near_duplicate_note, near_duplicates
from .records import RawRecord, printable, raw_of, truncate_raw
from .result import CorpusLoad, articles_frame, rejects_frame
from .snippets import truncation_note


def normalized(text: str) -> str:
    """NFC text with every whitespace run collapsed to one space (for ids and duplicates)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def derived_id(title: str | None, text: str) -> str:
    """Content id: ``"a"`` + first 16 hex digits of sha256 of normalised title and text."""
    key = normalized(title or "") + "\n\n" + normalized(text)
    return "a" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def validate_records(
    records: Iterable[RawRecord],
    limits: Limits,
    columns: Mapping[str, str] | None = None,
    warnings: list[str] | None = None,
) -> CorpusLoad:
    """Turn raw records into a :class:`CorpusLoad`.

    Only the text is required. Exact duplicates (same normalised text) and
    reused ids with a different text are rejected; the first occurrence
    wins. ``warnings`` (e.g. from the readers) is extended, not replaced,
    first by one line per file naming the columns read as fields and those
    ignored (see :class:`~analysis.corpus.fieldmap.FieldUse`); lines saying
    that the accepted texts do not look like English
    (:func:`~analysis.corpus.language.language_note`) or carry HTML markup
    (:func:`~analysis.corpus.markup.markup_note`) or are cut short by a news API
    (:func:`~analysis.corpus.snippets.truncation_note`) or hold near-copies of each
    other (:func:`~analysis.corpus.neardup.near_duplicates`, also returned as
    ``near_duplicates``) come before all.
    """
    state = _State(limits, dict(columns or {}), list(warnings or []))
    n_records = 0
    for record in records:
        n_records += 1
        state.take(record)
    state.warnings[len(warnings or []):len(warnings or [])] = state.field_use.lines()
    state.settle_dates()
    texts, ids = [a["text"] for a in state.accepted], [a["article_id"] for a in state.accepted]
    near = near_duplicates(texts, ids)
    notes = [n for n in (language_note(texts, ids), markup_note(texts, ids), truncation_note(texts, ids),
                         near_duplicate_note(near, len(texts))) if n]
    state.warnings[:0] = notes  # first: the summary of a run lists only the first warnings
    return CorpusLoad(
        articles=articles_frame(state.accepted),
        rejects=rejects_frame(state.rejects),
        n_records=n_records,
        n_duplicates=state.n_duplicates,
        warnings=state.warnings,
        near_duplicates=near,
    )


class _State:
    """What validation has seen so far."""

    def __init__(self, limits: Limits, columns: dict[str, str], warnings: list[str]) -> None:
        self.limits, self.columns, self.warnings = limits, columns, warnings
        self.accepted: list[dict] = []
        self.rejects: list[dict] = []
        self.n_duplicates = 0
        self.id_by_text: dict[str, str] = {}
        self.origin_by_id: dict[str, str] = {}
        self.field_use = FieldUse()
        self.numeric_dates: list[tuple[int, str]] = []  # (accepted row, raw date such as 03/04/2025)

    def settle_dates(self) -> None:
        """Read dates such as 03/04/2025 in the day/month order the corpus shows (and say so)."""
        dayfirst, note = numeric_date_order([raw for _, raw in self.numeric_dates])
        if dayfirst:
            for at, raw in self.numeric_dates:
                self.accepted[at]["published"] = parse_date(raw, dayfirst=True)[0]
        if note:
            self.warnings.append(printable(f"published: {note}"))

    def reject(self, record: RawRecord, reason: str) -> None:
        """Add a rejects row for ``record``."""
        self.rejects.append({
            "file": printable(record.file), "position": printable(record.position),
            "reason": printable(reason),
            "raw": truncate_raw(record.raw),
        })

    def take(self, record: RawRecord) -> None:
        """Accept ``record`` or reject it (unparsed, bad field, duplicate)."""
        if record.fields is None:
            self.reject(record, record.error or "unreadable record")
            return
        try:
            row = self._row(record)
        except FieldError as exc:
            self.reject(record, str(exc))
            return
        key, notes = row.pop("_key"), row.pop("_notes")
        if key in self.id_by_text:
            self.n_duplicates += 1
            self.reject(record, f"exact duplicate of {self.id_by_text[key]}")
            return
        if row["article_id"] in self.origin_by_id:
            first = self.origin_by_id[row["article_id"]]
            self.reject(record, f"duplicate id {row['article_id']} with different text (first at {first})")
            return
        self.id_by_text[key] = row["article_id"]
        self.origin_by_id[row["article_id"]] = record.where
        self._finish(record, row, notes)
        self.accepted.append(row)

    def _row(self, record: RawRecord) -> dict[str, Any]:
        found = pick_fields_from(record.fields, self.columns)
        filled = [str(k) for k, v in record.fields.items() if has_value(v)]
        self.field_use.note(record.file, list(map(str, record.fields)), {n: k for n, (k, _) in found.items()},
                            filled)
        fields, notes = repair_surrogates({name: value for name, (_, value) in found.items()})
        if "text" not in fields:
            if has_field(record.fields, "text", self.columns):
                raise FieldError("empty text")
            names = ", ".join(repr(str(k))[:60] for k in list(record.fields)[:10]) or "none"
            raise FieldError(f"no text field (looked for {text_field_names(self.columns)}; "
                             f"the record's fields: {names})")
        text = normalize_newlines(as_body(fields["text"])).lstrip("\ufeff").strip()
        if not text:
            raise FieldError("empty text")
        title = as_optional_text(fields.get("title"), "title")
        given_id = as_optional_text(fields.get("article_id"), "article_id")
        return {
            "article_id": given_id or derived_id(title, text),
            "title": title,
            "text": text,
            "source": as_optional_text(fields.get("source"), "source"),
            "published": fields.get("published"),
            "url": as_optional_text(fields.get("url"), "url"),
            "tags": as_tags(fields.get("tags")),
            "language": as_optional_text(fields.get("language"), "language"),
            "origin": printable(f"{record.file}:{record.position}"),
            "_key": normalized(text),
            "_notes": notes,
        }

    def _finish(self, record: RawRecord, row: dict[str, Any], notes: list[str]) -> None:
        """Apply limits and parse the date; note every change as a warning."""
        row["text"], limited = apply_limits(row["text"], self.limits)
        notes = notes + limited
        if numeric_date(row["published"]):  # its day/month order is settled for the corpus at the end
            self.numeric_dates.append((len(self.accepted), row["published"]))
        row["published"], problem = parse_date(row["published"])
        if problem:
            notes.append(f"{problem}; article kept with published=NaT")
        self.warnings.extend(printable(f"{record.where}: {note}") for note in notes)


def record_from_mapping(file: str, position: str, fields: Mapping[Any, Any]) -> RawRecord:
    """A parsed record whose ``raw`` is its JSON rendering."""
    fields = {str(k): v for k, v in fields.items()}
    return RawRecord(file, position, fields, raw_of(fields))
