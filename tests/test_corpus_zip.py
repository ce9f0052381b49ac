"""Zip archives read like folders: every supported file inside, located in the archive."""
from __future__ import annotations

import json
import zipfile

import pytest

from analysis.corpus import CorpusError, corpus_fingerprint, load_corpus

from conftest import SAMPLE

TEXT = "Russia and the West met in Baku for talks on the Middle Corridor. "


def test_archive_reads_like_the_folder_it_holds(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLE, "digests/sample.txt")
        zf.writestr("tass/a.jsonl", json.dumps({"id": "t1", "title": "T1", "text": TEXT * 2}) + "\n")
        zf.writestr("notes.pdf", b"%PDF-1.4 binary")
        zf.writestr("__MACOSX/._a.jsonl", b"mac metadata")
        zf.writestr(".hidden.txt", "not read")
    load = load_corpus(archive)
    assert len(load.articles) == 11
    origins = set(load.articles["origin"])
    assert f"{archive}/tass/a.jsonl:line 1" in origins
    assert any(o.startswith(f"{archive}/digests/sample.txt:") for o in origins)
    assert load.warnings and "skipped 1 file(s): notes.pdf (unsupported ending '.pdf')" in load.warnings[0]
    assert not any("analysis-zip-" in text for text in [*load.warnings, *origins])  # no temporary paths
    digest_only = load.articles[load.articles["article_id"] != "t1"]
    assert corpus_fingerprint(digest_only) == corpus_fingerprint(load_corpus(SAMPLE).articles)


def test_archive_inside_a_folder_and_bad_archives(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "inner.zip", "w") as zf:
        zf.writestr("x.csv", "id,text\nz1," + TEXT + "\n")
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    load = load_corpus(folder)
    assert load.articles["article_id"].tolist() == ["z1"]
    assert "broken.zip" in " ".join(load.warnings) and "not a readable zip archive" in " ".join(load.warnings)
    with pytest.raises(CorpusError, match=r"broken\.zip: not a readable zip archive"):
        load_corpus(folder / "broken.zip")


def test_encrypted_members_are_named(tmp_path):
    archive = tmp_path / "locked.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.jsonl", "{}")
    data = bytearray(archive.read_bytes())
    for offset in (6, data.rfind(b"PK\x01\x02") + 8):  # set the "encrypted" flag bit in both headers
        data[offset] |= 0x1
    archive.write_bytes(bytes(data))
    with pytest.raises(CorpusError, match=r"locked\.zip: 1 file\(s\) in the archive are encrypted"):
        load_corpus(archive)


def test_only_readable_members_are_unpacked(tmp_path, monkeypatch):
    from analysis.corpus.readers import ziparchive

    archive = tmp_path / "mixed.zip"
    line = json.dumps({"id": "m1", "text": TEXT}) + "\n"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.jsonl", line)
        zf.writestr("scan.pdf", b"%PDF" + b"0" * 5000)
    monkeypatch.setattr(ziparchive, "MAX_UNPACKED_BYTES", len(line) + 10)  # the PDF would not fit
    load = load_corpus(archive)
    assert load.articles["article_id"].tolist() == ["m1"]
    assert f"{archive}: skipped 1 file(s): scan.pdf (unsupported ending '.pdf')" in load.warnings
    monkeypatch.setattr(ziparchive, "MAX_UNPACKED_BYTES", len(line) - 1)
    with pytest.raises(CorpusError, match="the archive unpacks to"):
        load_corpus(archive)


def test_hostile_member_names_stay_inside_the_temporary_folder(tmp_path):
    import stat

    archive = tmp_path / "hostile.zip"
    outside = tmp_path / "escape.jsonl"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escape.jsonl", json.dumps({"id": "e1", "text": TEXT}) + "\n")
        zf.writestr("/etc/abs.jsonl", json.dumps({"id": "e2", "text": TEXT + "Again."}) + "\n")
        link = zipfile.ZipInfo("link.jsonl")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16  # a symbolic link entry pointing out
        zf.writestr(link, "/etc/passwd")
    load = load_corpus(archive)
    assert not outside.exists() and not (tmp_path.parent / "escape.jsonl").exists()
    assert load.articles["article_id"].tolist() == ["e2"]  # the absolute name, read inside the archive
    assert load.articles["origin"].iloc[0] == f"{archive}/etc/abs.jsonl:line 1"
    assert "../escape.jsonl (its name climbs out of the archive ('..'): not unpacked)" in " ".join(load.warnings)
    [link_reject] = load.rejects.itertuples()  # the link is a file holding "/etc/passwd", never followed
    assert link_reject.file == f"{archive}/link.jsonl" and "root:" not in link_reject.raw
