"""Crash safety of the cache and of written files: verified reads, atomic writes, no leftovers."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from analysis.embed import Embedder
from analysis.embed.cache import EmbeddingCache, EmbeddingCacheWarning
from analysis.io import atomic_write, write_text
from analysis.runs import publish_run_dir, stage_run_dir

VEC = {f"k{i}": np.arange(8, dtype=np.float32) + i for i in range(4)}


def _cache_with_rows(tmp_path) -> EmbeddingCache:
    cache = EmbeddingCache(tmp_path / "cache")
    cache.put("m", VEC)
    return cache


def test_corrupt_row_is_discarded_not_used(tmp_path):
    cache = _cache_with_rows(tmp_path)
    with sqlite3.connect(cache.path) as con:
        con.execute("UPDATE vectors SET data = zeroblob(length(data)) WHERE key = 'k1'")
    found = cache.get("m", list(VEC))
    assert sorted(found) == ["k0", "k2", "k3"]  # k1 must be recomputed by the caller
    assert cache.count("m") == 3  # and its row is gone


def test_rows_swapped_between_keys_are_detected(tmp_path):
    """The checksum covers model, key and dimension, not only the bytes."""
    cache = _cache_with_rows(tmp_path)
    with sqlite3.connect(cache.path) as con:
        data0, sum0 = con.execute("SELECT data, checksum FROM vectors WHERE key='k0'").fetchone()
        con.execute("UPDATE vectors SET data=?, checksum=? WHERE key='k2'", (data0, sum0))
    assert sorted(cache.get("m", list(VEC))) == ["k0", "k1", "k3"]


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_database_file_is_moved_aside_and_rebuilt(tmp_path, damage):
    cache = _cache_with_rows(tmp_path)
    con = sqlite3.connect(cache.path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = cache.path.read_bytes()
    cache.path.write_bytes(os.urandom(len(data)) if damage == "garbage" else data[: len(data) // 3])
    with pytest.warns(EmbeddingCacheWarning, match="damaged|cannot read"):
        found = cache.get("m", list(VEC))
    assert found == {} or all(np.array_equal(found[k], VEC[k]) for k in found)
    cache.put("m", VEC)  # the cache works again
    assert sorted(cache.get("m", list(VEC))) == sorted(VEC)


def test_unusable_cache_folder_only_costs_speed(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    texts = ["One paragraph about trade.", "Another about the Middle Corridor."]
    with pytest.warns(EmbeddingCacheWarning, match="continuing without it"):
        got = Embedder(cache_dir=str(blocker), show_progress=False).fit().transform(texts)
    want = Embedder(cache_dir=None, show_progress=False).fit().transform(texts)
    assert np.array_equal(got, want)


def test_cached_vectors_never_change_under_other_batchings(tmp_path):
    """A rerun sees exactly the vectors its first run used, whatever ran in between."""
    texts = [f"Paragraph number {i} on pipelines, ports and rail freight." * (1 + i % 3) for i in range(6)]
    others = ["A different corpus shares the cache.", "It embeds in other batches, too long " * 5]
    first = Embedder(batch_size=2, cache_dir=str(tmp_path), show_progress=False).fit().transform(texts)
    Embedder(batch_size=3, cache_dir=str(tmp_path), show_progress=False).fit().transform(others + texts)
    again = Embedder(batch_size=2, cache_dir=str(tmp_path), show_progress=False).fit()
    assert np.array_equal(again.transform(texts), first) and again.n_embedded_ == 0


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    target = write_text(tmp_path / "table.csv", "old\n")

    def half_then_fail(path):
        path.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


KILLED_WRITER = r'''
import sys
from analysis.io import write_text
path = sys.argv[1]
for i in range(100000):
    write_text(path, str(i % 10) * 200000)
'''


def test_sigkill_during_writes_leaves_a_whole_file(tmp_path):
    target = tmp_path / "report.html"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)])
    deadline = time.monotonic() + 300
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # let it rewrite the file many times
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    text = target.read_text()
    assert len(text) == 200000 and len(set(text)) == 1  # one complete version, never a mix


def test_staging_folder_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    code = ("import os, sys; from analysis.runs import stage_run_dir; "
            "s = stage_run_dir(sys.argv[1], 'abcdef012345'); (s / 'half.txt').write_text('x'); "
            "os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)])
    assert len(list(tmp_path.glob(".abcdef012345.staging.*"))) == 1  # left by the dead process
    stage = stage_run_dir(tmp_path, "abcdef012345")
    write_text(stage / "manifest.json", "{}")
    final = publish_run_dir(stage, tmp_path, "abcdef012345")
    assert [p.name for p in final.iterdir()] == ["manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".abcdef012345.lock", "abcdef012345"]
