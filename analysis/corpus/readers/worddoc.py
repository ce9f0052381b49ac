"""Word documents (``.docx``): one article per document, or every article of a Nexis Uni export.

Researchers who collect news from the Nexis Uni (LexisNexis) database get
their articles as Word files: one per article, or one file holding many, each
ending with an ``End of Document`` line. Such an export is read by
:mod:`.nexis`, one record per article. Any other Word document is one
article: its title is the document's title property, else a first paragraph
styled as a title or a heading; its paragraphs are the text. A table's rows
are lines of text (cells joined by `` | ``), in their place. Old binary
``.doc`` files are not read; password-protected files, parts declaring XML
entities and packages unpacking to more than 2 GB are refused.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from ..decoding import read_bytes
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, bad, printable
from .nexis import NEXIS_END, read_nexis

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
