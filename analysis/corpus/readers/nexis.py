"""Nexis Uni (LexisNexis) exports: one record per article, from the export's lines of text.

Nexis Uni exports articles as Word or RTF files, one article or many per
file, each ending with an ``End of Document`` line; :mod:`.worddoc` and
:mod:`.rtf` turn a file into its non-empty lines and hand them here. Each
article is located as ``document N``:

* the lines before ``Copyright ...`` are the title, the publication and the
  date line (``March 3, 2022 Thursday``); a cover page before the first
  article (``Job Number:``, ``Documents (N)``, the list of hits) is left out;
* the text is what follows the ``Body`` line, up to ``Graphic``,
  ``Classification``, ``Load-Date:`` or the end of the document;
* ``Language: ENGLISH`` gives the language; ``Length: 812 words`` is checked
  against the text (a warning names documents holding under half of it); the
  other tagged lines (``Section:``, ``Byline:``, ``Subject:`` ...) are not read.

An article without a ``Body`` line, or with no text after it, is rejected with
the reason. Nexis's English labels are expected.
"""
from __future__ import annotations

import re
from typing import Any

from ..records import RawRecord, ReadResult, bad

#: The line that ends every article of a Nexis Uni export.
NEXIS_END = "End of Document"
#: Lines after which an article's text has ended.
_TEXT_ENDS = ("Graphic", "Classification", "Notes")
_TAG = re.compile(r"^([A-Z][A-Za-z\-]*(?: [A-Z][A-Za-z\-]*)?):[\s\u00a0]+(.*)$")
#: Lines of the cover page before the first article (search details and the numbered list of hits).
_COVER = re.compile(r"^(?:\d+\. |Client/Matter:|Search Terms:|Search Type:|Content Type|Narrowed by|"
                    r"Job Number:|Date and Time:|Documents? \(\d+\)|Sources?:|User Name:)")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_DATE = re.compile(rf"\b(?:({_MONTHS})\.? (\d{{1,2}}),? (\d{{4}})|(\d{{1,2}}) ({_MONTHS})\.? (\d{{4}}))\b")
_LANGUAGES = {"english": "en", "german": "de", "french": "fr", "russian": "ru", "spanish": "es",
              "italian": "it", "turkish": "tr", "ukrainian": "uk", "polish": "pl", "dutch": "nl",
              "portuguese": "pt", "arabic": "ar", "chinese": "zh", "georgian": "ka", "azerbaijani": "az",
              "armenian": "hy", "kazakh": "kk"}


def read_nexis(lines: list[str], label: str) -> ReadResult:
    """The articles of a Nexis Uni export given as its non-empty lines, one record each.

    A warning names the documents whose text holds under half the words their
    ``Length:`` line declares (a body cut short, or text the export put elsewhere).
    """
    result = ReadResult()
    short = []
    for number, chunk in enumerate(_documents(lines), start=1):
        position = f"document {number}"
        raw = "\n".join(chunk)[:2000]
        fields = nexis_article(chunk)
        if isinstance(fields, str):
            result.records.append(bad(label, position, raw, fields))
            continue
        declared = fields.pop("declared_words", None)
        if declared and len(fields["text"].split()) < declared / 2:
            short.append(f"{position}: {len(fields['text'].split())} of {declared} words")
        result.records.append(RawRecord(label, position, fields, raw))
    if short:
        result.warnings.append(f"{label}: {len(short)} document(s) hold under half the words their 'Length:' "
                               f"line declares (first: {'; '.join(short[:3])}); check them in the export")
    return result


def nexis_article(lines: list[str]) -> dict[str, Any] | str:
    """The fields of one Nexis Uni article (its lines, without ``End of Document``), or why none."""
    body_at = next((i for i, line in enumerate(lines) if line == "Body"), None)
    if body_at is None:
        return "no 'Body' line: not an article of a Nexis Uni export (its text follows a line 'Body')"
    header, rest = lines[:body_at], lines[body_at + 1:]
    end = next((i for i, line in enumerate(rest) if line in _TEXT_ENDS or line.startswith("Load-Date:")),
               len(rest))
    text, tail = rest[:end], rest[end:]
    if not text:
        return "no text after the 'Body' line"
    fields: dict[str, Any] = {"text": "\n\n".join(text), **_header_fields(header)}
    tags = dict(m.groups() for m in map(_TAG.match, header + tail) if m)
    language = tags.get("Language", "").strip().lower()
    if language:
        fields["language"] = _LANGUAGES.get(language, language)
    words = re.match(r"([\d,]+) words", tags.get("Length", "").strip())
    if words:
        fields["declared_words"] = int(words.group(1).replace(",", ""))
    return fields


def _documents(lines: list[str]) -> list[list[str]]:
    """Lines split at ``End of Document``; trailing lines after the last one form a document too."""
    documents, current = [], []
    for line in lines:
        if line == NEXIS_END:
            documents.append(current)
            current = []
        else:
            current.append(line)
    if current:
        documents.append(current)
    return documents


def _header_fields(header: list[str]) -> dict[str, str]:
    """Title, source and date from the lines before ``Body``, placed around the copyright line."""
    copyright_at = max((i for i, line in enumerate(header) if line.startswith(("Copyright", "©"))),
                       default=None)
    if copyright_at is None:  # no copyright line: the first untagged line is the title
        untagged = [line for line in header if not _TAG.match(line) and not _COVER.match(line)]
        dated = [line for line in untagged[1:] if _DATE.search(line)]
        out = {"title": untagged[0]} if untagged else {}
        return {**out, **({"published": _date(dated[0])} if dated else {})}
    before = header[:copyright_at]
    out: dict[str, str] = {}
    if before and _DATE.search(before[-1]):
        out["published"] = _date(before[-1])
        before = before[:-1]
    if len(before) >= 2 and not _TAG.match(before[-1]) and not _COVER.match(before[-2]):
        out["source"], out["title"] = before[-1], before[-2]
    elif before:
        out["title"] = before[-1]
    if out.get("title") == "No Headline In Original":  # Nexis's placeholder
        del out["title"]
    return out


def _date(line: str) -> str:
    """``"March 3, 2022"`` (or ``"3 March 2022"``) out of a Nexis date line with weekday and edition."""
    match = _DATE.search(line)
    return match.group(0) if match else line
