"""Progress of a run: a live display in a terminal, one line per stage elsewhere, a warnings summary."""
from __future__ import annotations

import io
import re
import time
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from analysis.cli import app
from analysis.config import config_from_dict
from analysis.progress import MAX_WARNINGS, PREFIX, STAGE_WEIGHTS, RunProgress

runner = CliRunner()
FRAME = pd.DataFrame({"topic": [-1, 0, 1]})


def _outputs() -> list[tuple[str, object]]:
    """Every pipeline stage with an output shaped like the real one."""
    loaded = SimpleNamespace(articles=pd.DataFrame(index=range(3)), rejects=pd.DataFrame(),
                             warnings=["a.csv: no column for source"])
    embedder = SimpleNamespace(n_embedded_=4, n_cached_=1)
    pairs = pd.DataFrame({"seed_a": [1, 1, 2], "seed_b": [2, 3, 3], "ari": [0.5, 0.7, 0.9]})
    return [("load", loaded), ("segment", (pd.DataFrame(index=range(5)), pd.DataFrame(index=range(9)))),
            ("embed", (embedder, np.zeros((5, 2)))),
            ("topics", (FRAME, FRAME, FRAME, {"topics_not_fitted": "too few documents"}, {}, None)),
            ("topic_stability", {"topic_stability_pairs": pairs}), ("map", FRAME),
            ("stance", (FRAME, {}, {})), ("write", {"a": "x", "b": "y"}), ("report", "/tmp/r/report.html")]


def _drive(progress: RunProgress) -> None:
    with progress:
        for name, out in _outputs():
            progress.run(name, lambda out=out: out)


def _map(spec, batches):
    return ((i, np.zeros((len(b), 2))) for i, b in enumerate(batches))


def test_off_a_terminal_one_line_per_stage_then_the_warnings():
    buf = io.StringIO()
    _drive(RunProgress(True, Console(file=buf, width=200)))
    lines = buf.getvalue().splitlines()
    stages = [line for line in lines if re.match(r"\[analysis\] \w+: .* in \d+\.\d s$", line)]
    assert [s.split(":")[0].split()[1] for s in stages] == list(STAGE_WEIGHTS)
    assert "[analysis] read: 3 articles in" in stages[0]
    assert "5 paragraphs (4 computed, 1 cached)" in stages[2]
    assert "3 seeds, mean ARI 0.70" in stages[4]
    assert lines[len(stages)].startswith(f"{PREFIX} finished 9 stages in ")
    assert lines[len(stages)].endswith("; 2 warnings:")
    assert lines[len(stages) + 1:] == [f"{PREFIX}   corpus: a.csv: no column for source",
                                       f"{PREFIX}   topics: too few documents"]


def test_the_summary_lists_python_warnings_once_and_counts_the_rest():
    buf = io.StringIO()
    with RunProgress(True, Console(file=buf, width=200)) as progress:
        def noisy():
            for i in range(MAX_WARNINGS + 3):
                warnings.warn(f"odd value {i}", UserWarning)
                warnings.warn("the same every time", UserWarning)
        progress.run("stance", noisy)
    lines = buf.getvalue().splitlines()
    assert lines[1].endswith(f"; {MAX_WARNINGS + 4} warnings:")
    assert sum("the same every time" in line for line in lines) == 1
    assert len(lines) == 1 + 1 + MAX_WARNINGS + 1 and lines[-1].endswith("and 4 more (corpus warnings: manifest.json)")


def test_in_a_terminal_one_live_display_names_the_stages():
    buf = io.StringIO()
    progress = RunProgress(True, Console(file=buf, force_terminal=True, width=120))
    with progress:
        for name, out in _outputs():
            if name == "embed":
                progress.run(name, lambda: list(progress.counted(_map, total=7)({}, [["a", "b"], ["c"]])))
            else:
                progress.run(name, lambda out=out: out)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())
    for label in ["overall", *STAGE_WEIGHTS, "7/7 paragraphs", "9/9 stages", "3 mentions scored"]:
        assert label in text, label
    assert "[analysis] read:" not in text  # no plain lines: the live display shows the stages


def test_counted_batches_fill_the_stage_count():
    with RunProgress(True, Console(file=io.StringIO())) as progress:
        def embed():
            assert list(progress.counted(_map, total=10)({}, [["a", "b"], ["c"]])) and progress.current_.total == 10
            return progress.current_.completed
        assert progress.run("embed", embed) == 10  # 7 found elsewhere + 3 computed
        assert progress.seconds_left() is not None and progress.seconds_left() >= 0


def test_show_false_prints_nothing_and_captures_no_warning():
    buf = io.StringIO()
    with pytest.warns(UserWarning, match="still seen"):
        with RunProgress(False, Console(file=buf, force_terminal=True)) as progress:
            progress.run("load", lambda: warnings.warn("still seen", UserWarning))
            assert progress.counted(_map) is _map
    _drive(RunProgress(False, Console(file=buf, force_terminal=True)))
    assert buf.getvalue() == ""


def test_a_failed_stage_says_so_and_the_error_propagates():
    buf = io.StringIO()
    with pytest.raises(RuntimeError), RunProgress(True, Console(file=buf)) as progress:
        progress.run("embed", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert re.fullmatch(r"\[analysis\] embed: failed in \d+\.\d s\n", buf.getvalue())


@pytest.mark.slow
def test_a_tiny_run_prints_its_stages_and_no_library_bars(tmp_path, capfd):
    """Off a terminal: one line per stage, the summary, and no tqdm bar (embedder, BERTopic, models)."""
    from analysis import run_pipeline

    # four one-paragraph articles of four lengths: four batches, which used to draw the embedder's bar,
    # and too few to fit topics (a topic warning in the summary)
    texts = ["Rail news. " + "Kazakhstan expands its rail links with China while Russia loses revenue. " * k
             for k in range(1, 5)]
    corpus = pd.DataFrame({"text": texts, "title": [f"t{k}" for k in range(4)]})
    cfg = config_from_dict({"stance": {"scorer": "stance.learner.v1"},
                            "report": {"figures": False, "paragraph_map": False}})
    run_pipeline(corpus, cfg, tmp_path / "out", cache_dir=tmp_path / "cache", show_progress=True, reuse=False)
    err = capfd.readouterr().err
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines[:9]] == [f"{PREFIX} {s}" for s in STAGE_WEIGHTS]
    assert re.search(r"embed: \d+ paragraphs \(\d+ computed, 0 cached\)", lines[2])
    assert lines[9].startswith(f"{PREFIX} finished 9 stages") and "topics: too few documents" in err
    assert not re.search(r"it/s|batch/s|embedding|\d+%\|", err)


@pytest.mark.parametrize("command", [["run"], ["batch"], ["annotate", "sample"], ["topics", "evaluate"],
                                     ["topics", "stability"], ["topics", "sweep"], ["topics", "benchmark"]])
def test_every_command_that_reads_a_corpus_takes_format(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0 and "--format" in result.output


@pytest.mark.parametrize("command", [["run"], ["batch", "CONFIG"], ["annotate", "sample", "--out", "x.csv"],
                                     ["topics", "evaluate"], ["topics", "benchmark"]])
def test_a_wrong_format_is_a_clear_error(command, tmp_path):
    corpus, config = tmp_path / "news.data", tmp_path / "a.toml"
    corpus.write_text('{"text": "x"}\n', encoding="utf-8")
    config.write_text("seed = 1\n", encoding="utf-8")
    args = [str(config) if a == "CONFIG" else a for a in command]
    result = runner.invoke(app, [*args, "--corpus", str(corpus), "--format", "jsonx", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "unknown format 'jsonx'" in result.output and "jsonl" in result.output


def test_stages_from_the_stage_cache_count_as_done_and_not_in_the_estimate():
    buf = io.StringIO()
    with RunProgress(True, Console(file=buf, width=200)) as progress:
        progress.run("embed", time.sleep, 0.05)
        before = progress.seconds_left()
        progress.skip("topics", "topic_stability", "map")
        assert {"topics", "stability", "map"} <= set(progress.finished_)
        after = progress.seconds_left()
        # the skipped stages' weight leaves the time to come, and does not dilute the rate
        rate = progress.finished_["embed"] / STAGE_WEIGHTS["embed"]
        assert abs(after - (before - rate * (STAGE_WEIGHTS["topics"] + STAGE_WEIGHTS["stability"]
                                             + STAGE_WEIGHTS["map"]))) < 1e-6
        assert progress.overall_note().startswith("4/9 stages")
    assert f"{PREFIX} stability: from the stage cache in 0.0 s" in buf.getvalue()


def test_embed_line_says_when_repeated_texts_were_embedded_once():
    from analysis.progress import _embedded

    text, _ = _embedded((SimpleNamespace(n_embedded_=1, n_cached_=2), np.zeros((5, 2))))
    assert text == "5 paragraphs (3 distinct texts: 1 computed, 2 cached)"
