"""Hostile Parquet files and folders: random tables, corrupt bytes, odd file names and trees."""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import check_load, load_bytes

from analysis.corpus import CorpusError, load_corpus
from analysis.corpus.records import printable

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_text = st.text(max_size=30)
#: Column type -> values of that type (None allowed everywhere).
_COLUMN_KINDS = {
    "string": (pa.string(), _text),
    "int": (pa.int64(), st.integers(-2**63, 2**63 - 1)),
    "float": (pa.float64(), st.floats()),
    "bool": (pa.bool_(), st.booleans()),
    "binary": (pa.binary(), st.binary(max_size=20)),
    "list": (pa.list_(pa.string()), st.lists(_text, max_size=3)),
    "struct": (pa.struct([("a", pa.int64()), ("b", pa.string())]),
               st.fixed_dictionaries({"a": st.integers(0, 9), "b": _text})),
    "timestamp": (pa.timestamp("s", tz="UTC"),
                  st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 1, 1),
                               timezones=st.just(dt.timezone.utc))),
    "date": (pa.date32(), st.dates()),
    "time": (pa.time64("us"), st.times()),
    "null": (pa.null(), st.none()),
}
_NAMES = ["text", "id", "title", "date", "published", "tags", "source", "url", "lang", "body", "x", ""]


@st.composite
def parquet_tables(draw):
    """A table of random width and height: any column name, any Arrow type, nulls anywhere."""
    n_rows = draw(st.integers(0, 6))
    arrays, names = [], []
    for _ in range(draw(st.integers(1, 5))):
        kind, values = _COLUMN_KINDS[draw(st.sampled_from(sorted(_COLUMN_KINDS)))]
        cells = draw(st.lists(st.none() | values, min_size=n_rows, max_size=n_rows))
        arrays.append(pa.array(cells, type=kind))
        names.append(draw(st.sampled_from(_NAMES)))
    return pa.Table.from_arrays(arrays, names=names)


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


@SETTINGS
@given(parquet_tables())
def test_parquet_reader_on_random_tables(table):
    load = load_bytes(_parquet_bytes(table), "input.parquet")
    assert load is not None and load.n_records == table.num_rows
    assert (load.rejects["position"].str.match(r"record \d+$")).all()


@SETTINGS
@given(parquet_tables(), st.data())
def test_parquet_reader_on_corrupt_bytes(table, data):
    """Truncated, overwritten or padded files: records, or one CorpusError naming the file."""
    raw = bytearray(_parquet_bytes(table))
    how = data.draw(st.sampled_from(["truncate", "flip", "junk-tail", "junk"]))
    if how == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw) - 1))]
    elif how == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    elif how == "junk-tail":
        raw = raw[:-8] + data.draw(st.binary(min_size=1, max_size=16)) + b"PAR1"
    else:
        raw = bytearray(b"PAR1" + data.draw(st.binary(max_size=200)) + b"PAR1")
    load_bytes(bytes(raw), "input.parquet")


_name_part = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12)
_raw_name = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                        and b not in (b".", b".."))


@st.composite
def folder_trees(draw):
    """Files at random depths: odd and non-UTF-8 names, hidden ones, other endings, any bytes."""
    files = []
    for _ in range(draw(st.integers(0, 6))):
        depth = draw(st.lists(_name_part.filter(lambda n: n not in (".", "..")), max_size=2))
        stem = draw(_name_part.map(os.fsencode) | _raw_name)
        suffix = draw(st.sampled_from([b".txt", b".md", b".TXT", b".csv", b""]))
        content = draw(st.binary(max_size=200) | _text.map(lambda t: t.encode("utf-8", "surrogatepass")))
        files.append(([os.fsencode(d) for d in depth], stem + suffix, content))
    return files


@SETTINGS
@given(folder_trees())
def test_folder_reader_on_random_trees(files):
    with tempfile.TemporaryDirectory() as folder:
        root = os.fsencode(folder)
        written = set()
        for parts, name, content in files:
            directory = os.path.join(root, *parts)
            try:
                os.makedirs(directory, exist_ok=True)
                path = os.path.join(directory, name)
                with open(path, "wb") as handle:
                    handle.write(content)
            except (FileExistsError, NotADirectoryError, IsADirectoryError, OSError):
                continue  # a name taken by a folder, or too long for the file system
            written.add(os.path.relpath(path, root))
        try:
            load = check_load(load_corpus(Path(folder)))
        except CorpusError as exc:
            assert folder in str(exc)
            return
        hidden = {p for p in written if any(part.startswith(b".") for part in p.split(b"/"))}
        expected = {p for p in written - hidden if os.path.isfile(os.path.join(root, p))}
        # every file is read (its records say where they came from) or named in a warning
        said = " ".join([*load.warnings, *load.articles["origin"], *load.rejects["file"],
                         *load.rejects["position"]])
        for p in expected:
            assert printable(os.fsdecode(p)) in said, p


def test_non_utf8_file_name_is_kept_printable(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"A title\n\nSome text.")
    load = check_load(load_corpus(tmp_path))
    assert load.articles["origin"].tolist() == [f"{tmp_path}:caf\\udce9.txt"]
