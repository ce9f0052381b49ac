"""Shared helpers for the hostile-input, crash, concurrency and offline tests."""
from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from analysis.corpus import CorpusError, corpus_fingerprint, load_corpus, segment
from analysis.corpus.segment import paragraph_spans
from analysis.io import _csv_ready


def check_load(load, *, max_chars: int | None = None, max_paragraphs: int | None = None,
               downstream: bool = True):
    """Assert what must hold after any load, whatever the input was.

    records in = accepted + rejected; ids unique; no empty text; every reject
    says where and why; limits hold; and (``downstream``) both tables can be
    stored as Parquet/CSV, fingerprinted and segmented without an error.
    """
    articles, rejects = load.articles, load.rejects
    assert load.n_records == len(articles) + len(rejects)
    assert load.n_duplicates <= len(rejects)
    assert articles["article_id"].is_unique
    assert (articles["text"].str.strip() != "").all()
    for column in ("file", "position", "reason"):
        assert (rejects[column].str.len() > 0).all(), column
    if max_chars is not None:
        assert (articles["text"].str.len() <= max_chars).all()
    if max_paragraphs is not None:
        assert all(len(paragraph_spans(t)) <= max_paragraphs for t in articles["text"])
    if downstream:
        for table in (articles, rejects):  # what write_table stores, in memory
            table.to_parquet(io.BytesIO(), index=False)
            _csv_ready(table).to_csv(io.StringIO(), index=False)
        if len(articles):
            corpus_fingerprint(articles)
            paragraphs, sentences = segment(articles)
            assert set(paragraphs["article_id"]) <= set(articles["article_id"])
    return load


def load_bytes(data: bytes, name: str, **kwargs):
    """Write ``data`` to a fresh file called ``name`` and load it.

    Returns the checked load, or ``None`` when the reader raised
    :class:`CorpusError`, whose message must name the file.
    """
    limits = {k: kwargs[k] for k in ("max_chars", "max_paragraphs") if k in kwargs}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            load = load_corpus(path, **kwargs)
        except CorpusError as exc:
            assert str(path) in str(exc), str(exc)
            return None
        return check_load(load, **limits)


def nonblank_lines(data: bytes) -> int:
    """JSONL records expected in ``data``: its non-blank lines (after a UTF-8 BOM)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return sum(1 for line in data.split(b"\n") if line.rstrip(b"\r").strip())


# ----------------------------------------------------------- runs in a subprocess
#: Run by every subprocess run: sockets refuse to connect (attempts are counted),
#: then the pipeline runs and prints its run id, table digests and counts as JSON.
DRIVER = r'''
import json, socket, sys

attempts = []

def _refuse(*args, **kwargs):
    attempts.append(repr(args[1:3])[:80])
    raise OSError("network access is disabled for this run")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse

from analysis import run_pipeline
from analysis.config import load_config

corpus, config, out, cache = sys.argv[1:5]
result = run_pipeline(corpus, load_config(config), out, cache_dir=cache, show_progress=False,
                      reuse=False)
print(json.dumps({"run_id": result.run_id, "run_dir": str(result.run_dir),
                  "tables": result.manifest["tables"], "counts": result.manifest["counts"],
                  "attempts": attempts}))
'''


def _no_net_prefix() -> list[str]:
    """``unshare -rn`` (no network interface at all) where the system allows it."""
    import shutil
    import subprocess

    tool = shutil.which("unshare")
    if tool and subprocess.run([tool, "-rn", "true"], capture_output=True).returncode == 0:
        return [tool, "-rn"]
    return []


def start_run(corpus, config, out, cache, env_extra: dict | None = None):
    """Start the pipeline in a fresh Python process with the network cut off; returns the Popen."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
    env.update(env_extra or {})
    cmd = [*_no_net_prefix(), sys.executable, "-c", DRIVER, str(corpus), str(config), str(out), str(cache)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish_run(proc, timeout: float = 900) -> dict:
    """Wait for a process from :func:`start_run`; assert it succeeded; return its JSON summary."""
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"run failed ({proc.returncode}):\n{err[-3000:]}"
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["attempts"] == [], f"network access attempted: {summary['attempts']}"
    return summary


def light_config(path: Path, batch_size: int = 32) -> Path:
    """A complete config for runs that test plumbing, not findings: lexicon stance scorer,
    100 bootstrap draws, no topic hierarchy, figures or map (all tested elsewhere)."""
    from analysis.config import Config, save_config

    cfg = Config.model_validate({
        "embed": {"batch_size": batch_size}, "topics": {"hierarchy": False},
        "stance": {"scorer": "stance.lexicon.v1", "n_bootstrap": 100},
        "report": {"figures": False, "paragraph_map": False}})
    return save_config(cfg, path)


def small_corpus(path: Path, n_articles: int = 4) -> Path:
    """The first articles of the bundled sample as JSONL (about 50 paragraphs)."""
    articles = load_corpus(Path(__file__).resolve().parent.parent / "data" / "raw"
                           / "sample_digest_russia.txt").articles.head(n_articles)
    with path.open("w", encoding="utf-8") as handle:
        for row in articles.itertuples():
            handle.write(json.dumps({"id": row.article_id, "title": row.title, "text": row.text,
                                     "tags": list(row.tags)}) + "\n")
    return path
