"""Word documents (``.docx``): one article per document, or every article of a Nexis Uni export.

Researchers who collect news from the Nexis Uni (LexisNexis) database get
their articles as Word files: one per article, or one file holding many, each
ending with an ``End of Document`` line. Such an export is read as one record
per article, located as ``document N``:

* the lines before ``Copyright ...`` are the title, the publication and the
  date line (``March 3, 2022 Thursday``); a cover page before the first
  article (``Job Number:``, ``Documents (N)``, the list of hits) is left out;
* the text is what follows the ``Body`` line, up to ``Graphic``,
  ``Classification``, ``Load-Date:`` or the end of the document;
* ``Language: ENGLISH`` gives the language; the other tagged lines
  (``Section:``, ``Length:``, ``Byline:``, ``Subject:`` ...) are not read.

An article without a ``Body`` line, or with no text after it, is rejected with
the reason. Any other Word document is one article: its title is the
document's title property, else a first paragraph styled as a title or a
heading; its paragraphs are the text. A table's rows are lines of text (cells
joined by `` | ``), in their place. Old binary ``.doc`` files are not read.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from ..decoding import read_bytes
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, bad, printable

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
#: First bytes of an OLE compound file: an old .doc, or any Office file saved with a password.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Most bytes a Word document may unpack to (a Nexis export of 1,000 articles is a few MB).
MAX_UNPACKED = 2 * 2**30
#: What python-docx raises on files that are not Word documents, or damaged ones.
_DAMAGED = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, AttributeError, IndexError,
            EOFError)


def read_docx(path: Path, label: str) -> ReadResult:
    """Read a Word document: a Nexis Uni export gives one record per article, any other one record."""
    import docx  # imported here: only this reader needs it

    data = read_bytes(path, label)
    if data.startswith(_OLE_MAGIC):
        raise CorpusError(f"{label}: a password-protected or old binary Word file, not .docx; "
                          "save it as .docx without a password")
    _refuse_hostile(data, label)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = [line for block in document.iter_inner_content() for line in _lines(block)]
        lines = [(block, text) for block, text in lines if text]
        if any(text == NEXIS_END for _, text in lines):
            return read_nexis([text for _, text in lines], label)
        title = printable((document.core_properties.title or "").strip())
        first = lines[0][0] if lines else None  # a paragraph's style costs a scan of all styles: once
        heading = first is not None and first.style is not None and first.style.name.lower().startswith(
            ("title", "heading"))
    except _DAMAGED as exc:
        raise CorpusError(f"{label}: not a readable Word document (.docx) ({str(exc)[:200]})") from None
    return ReadResult([_single([text for _, text in lines], title, heading, label)])


def _lines(block) -> list[tuple[Any, str]]:
    """``(paragraph, text)`` of a paragraph, or ``(None, row)`` per row of a table (cells joined by ``|``)."""
    if hasattr(block, "rows"):
        rows = [" | ".join(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                for row in block.rows]
        return [(None, printable(row)) for row in rows]
    return [(block, printable(block.text.strip()))]


def _refuse_hostile(data: bytes, label: str) -> None:
    """Refuse a package that would unpack to more than :data:`MAX_UNPACKED` bytes, or whose XML
    declares a document type (entities: Word never writes one; the parser would drop their text)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise CorpusError(f"{label}: refused: the Word document would unpack to more than "
                                  f"{MAX_UNPACKED // 2**30} GB")
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with package.open(member) as part:
                        if b"<!DOCTYPE" in part.read():  # in text it would be escaped (&lt;)
                            raise CorpusError(f"{label}: refused: part {member.filename} declares a document "
                                              "type (XML entities), which Word never writes")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise CorpusError(f"{label}: not a readable Word document (.docx) ({str(exc)[:200]})") from None


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


def _single(paragraphs: list[str], title: str, heading: bool, label: str) -> RawRecord:
    """A Word document that is not a Nexis export: one article (``heading``: its first paragraph is
    styled as a title or heading)."""
    raw = "\n".join(paragraphs)[:2000]
    if paragraphs and not title and heading:
        title = paragraphs[0]
        paragraphs = paragraphs[1:]
    elif paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        return bad(label, "document", raw, "no text in the document")
    fields = {"text": "\n\n".join(paragraphs)}
    return RawRecord(label, "document", {**fields, **({"title": title} if title else {})}, raw)
