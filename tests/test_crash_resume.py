"""Killed, resumed and concurrent runs: SIGKILL mid-embedding, then two reruns at once.

One scenario (whole-pipeline runs are the expensive part, so they serve
three checks at once). Every run has each socket connection refused; runs
in a fresh Python process also get no network interface where the system
allows it:

1. run K is killed with SIGKILL as soon as its first embedding batch is
   committed to the cache; nothing half-written is published;
2. run A (a fresh process) and run B (this test process) then run at the
   same time on K's cache folder and the same output folder: both resume
   from the cache (they embed only what K did not) and both finish;
3. their tables are identical to each other and to run U, an uninterrupted
   run on a fresh cache (in this process, also with sockets refused).
"""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from hostile import finish_run, light_config, small_corpus, start_run


def _cached_rows(cache: Path) -> int:
    db = cache / "embeddings.sqlite"
    if not db.is_file():
        return 0
    try:
        with closing(sqlite3.connect(db, timeout=5)) as con:
            return con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    except sqlite3.Error:
        return 0  # the table may not exist yet


def _kill_once_embedding_started(proc, cache: Path, patience: float = 900) -> int:
    """SIGKILL ``proc`` as soon as an embedding batch is committed; return the cached rows then."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline and proc.poll() is None and _cached_rows(cache) == 0:
        time.sleep(0.02)
    assert proc.poll() is None, f"the run ended before it could be killed:\n{proc.stderr.read()[-2000:]}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return _cached_rows(cache)


def _uninterrupted_offline_run(corpus, config, out, cache, monkeypatch) -> dict:
    from analysis import run_pipeline
    from analysis.config import load_config

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:3]))
        raise OSError("network access is disabled in this test")

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"),
                        (socket, "create_connection"), (socket, "getaddrinfo")):
        monkeypatch.setattr(owner, name, refuse)
    result = run_pipeline(corpus, load_config(config), out, cache_dir=cache, show_progress=False,
                          reuse=False)
    monkeypatch.undo()
    assert attempts == []
    return {"run_id": result.run_id, "tables": result.manifest["tables"],
            "counts": result.manifest["counts"]}


def test_killed_run_resumes_and_concurrent_reruns_match_an_uninterrupted_run(tmp_path, monkeypatch):
    corpus = small_corpus(tmp_path / "corpus.jsonl")
    config = light_config(tmp_path / "light.toml", batch_size=4)  # many small committed batches
    cache, out = tmp_path / "cache", tmp_path / "out"

    rows_at_kill = _kill_once_embedding_started(start_run(corpus, config, out, cache), cache)
    assert rows_at_kill > 0
    assert not out.exists() or [p for p in out.iterdir() if not p.name.startswith(".")] == []

    proc_a = start_run(corpus, config, out, cache)
    try:
        deadline = time.monotonic() + 900  # start B once A is writing to the cache
        while proc_a.poll() is None and _cached_rows(cache) <= rows_at_kill and time.monotonic() < deadline:
            time.sleep(0.02)
        b = _uninterrupted_offline_run(corpus, config, out, cache, monkeypatch)
        a = finish_run(proc_a)
    finally:
        if proc_a.poll() is None:
            proc_a.kill()
    reference = _uninterrupted_offline_run(corpus, config, tmp_path / "ref-out", tmp_path / "ref-cache",
                                           monkeypatch)

    assert reference["counts"]["paragraphs"] > rows_at_kill  # K really was killed mid-embedding
    for resumed in (a, b):
        # it resumed: the vectors K committed were reused, not recomputed
        assert resumed["counts"]["embedded"] <= reference["counts"]["embedded"] - rows_at_kill
        # and it finished with exactly the tables of the uninterrupted run
        assert resumed["run_id"] == reference["run_id"]
        assert resumed["tables"] == reference["tables"]
    # one complete run folder, published under the lock; no staging folder left behind
    assert sorted(p.name for p in out.iterdir()) == sorted([a["run_id"], f".{a['run_id']}.lock"])
    run_dir = out / a["run_id"]
    assert (run_dir / "manifest.json").is_file() and (run_dir / "report.html").is_file()
    assert len(list((run_dir / "tables").glob("*.parquet"))) == len(reference["tables"])
