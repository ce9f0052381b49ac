"""Several processes at once on one cache folder and one output folder: nothing lost, nothing mixed."""
from __future__ import annotations

import subprocess
import sys

CACHE_WORKER = r'''
import sys, warnings
import numpy as np
warnings.simplefilter("error")  # a cache that gave up (busy, corrupt) must fail this worker
from analysis.embed.cache import EmbeddingCache

cache, me = EmbeddingCache(sys.argv[1]), int(sys.argv[2])
for i in range(30):
    keys = [f"k{(i * 7 + j + me) % 60}" for j in range(10)]
    vectors = {k: np.full(384, int(k[1:]) / 7, dtype=np.float32) for k in keys}
    cache.put("model-a", vectors)
    found = cache.get("model-a", keys)
    assert set(found) == set(keys), "a stored vector is missing"
    assert all(np.array_equal(found[k], vectors[k]) for k in keys), "a vector changed"
print("ok")
'''

PUBLISH_WORKER = r'''
import sys
from analysis.io import write_text
from analysis.runs import publish_run_dir, stage_run_dir

out, me = sys.argv[1], sys.argv[2]
for round_ in range(5):
    stage = stage_run_dir(out, "0123456789ab")
    for name in ("a.txt", "tables/b.txt", "manifest.json"):
        write_text(stage / name, f"{me}-{round_}")
    publish_run_dir(stage, out, "0123456789ab")
print("ok")
'''


def _run_all(code: str, args: list[list[str]]) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", code, *a], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for a in args]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and out.strip() == "ok", err[-2000:]


def test_processes_share_one_embedding_cache(tmp_path):
    _run_all(CACHE_WORKER, [[str(tmp_path), str(n)] for n in range(4)])
    from analysis.embed.cache import EmbeddingCache

    assert EmbeddingCache(tmp_path).count("model-a") == 60


def test_processes_publishing_the_same_run_folder(tmp_path):
    _run_all(PUBLISH_WORKER, [[str(tmp_path), f"w{n}"] for n in range(4)])
    run = tmp_path / "0123456789ab"
    contents = {p.relative_to(run).as_posix(): p.read_text() for p in run.rglob("*") if p.is_file()}
    assert sorted(contents) == ["a.txt", "manifest.json", "tables/b.txt"]
    assert len(set(contents.values())) == 1  # every file from the same writer and round: no mix
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in (run.name, f".{run.name}.lock")]
    assert leftovers == []


def test_cache_set_up_waits_out_a_locked_database(tmp_path):
    """Switching a new file to WAL can fail at once with "database is locked" while another process
    does the same (SQLite does not always wait its busy timeout there): the set-up tries again."""
    import sqlite3

    from analysis.embed.cache import _set_up

    class Locked:
        def __init__(self, con, failures):
            self.con, self.failures = con, failures

        def execute(self, sql, *args):
            if sql == "PRAGMA journal_mode=WAL" and self.failures:
                self.failures -= 1
                raise sqlite3.OperationalError("database is locked")
            return self.con.execute(sql, *args)

    con = sqlite3.connect(tmp_path / "c.sqlite")
    _set_up(Locked(con, failures=3))
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other = sqlite3.connect(tmp_path / "d.sqlite")
    try:
        _set_up(Locked(other, failures=5), tries=3)
    except sqlite3.OperationalError as err:
        assert "locked" in str(err)
    else:
        raise AssertionError("a database locked for good must still fail")
