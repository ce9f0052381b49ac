"""What a run shows while it works: its stages, their counts and times, and its warnings.

:class:`RunProgress` wraps every stage of a pipeline run (:meth:`RunProgress.run`).

* In a terminal it keeps ONE live display (``rich.progress``): an overall row
  with the share of the run done and an estimated time left, and one row per
  stage as it starts (read, segment, embed, topics, stability, map, stance,
  write, report) with its count where one is known (paragraphs embedded n/N)
  and its elapsed time.
* Anywhere else (a pipe, CI, a notebook) it prints exactly one plain line per
  finished stage, e.g. ``[analysis] embed: 1,234 paragraphs in 3.2 s``.
* Either way the run ends with a short summary: the corpus warnings, a topic
  stage that could not fit, and Python warnings raised during the run
  (captured while the run is shown, listed once each), at most
  ``MAX_WARNINGS`` lines and a count of the rest.
* With ``show=False`` nothing is printed and no warning is captured.

Time left is estimated from ``STAGE_WEIGHTS``, each stage's rough share of a
run's time (from the per-stage times of the benchmark runs in
``docs/performance.md``). Seconds per unit of weight are measured on the
finished stages; the stages still to come take their weight times that rate,
and the running stage its weight times that rate, minus the time it has
already run (or, when its count is known, times the share it has left).
Before the first stage ends there is no estimate. The estimate is rough:
a stage whose share differs on a given corpus (a warm embedding cache makes
``embed`` almost free) moves it while the run goes on.
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

#: Start of every plain line.
PREFIX = "[analysis]"
#: Warning lines shown at the end of a run; the rest are counted.
MAX_WARNINGS = 10
#: Stage name in the pipeline -> name shown.
STAGE_LABELS = {"load": "read", "topic_stability": "stability"}
#: Rough share of a run's time per stage (shown names), for the estimate of time left.
STAGE_WEIGHTS = {"read": 3, "segment": 5, "embed": 30, "topics": 25, "stability": 10, "map": 5,
                 "stance": 15, "write": 5, "report": 10}


def _articles(out) -> tuple[str, list[str]]:
    rejected = f" ({len(out.rejects):,} rejected)" if len(out.rejects) else ""
    return f"{len(out.articles):,} articles{rejected}", [f"corpus: {w}" for w in out.warnings]


def _topics(out) -> tuple[str, list[str]]:
    reason = out[3].get("topics_not_fitted")
    return f"{int((out[0]['topic'] >= 0).sum()):,} topics", [f"topics: {reason}"] if reason else []


def _stability(out) -> tuple[str, list[str]]:
    pairs = out["topic_stability_pairs"]
    if pairs.empty:
        return "off", []
    seeds = len(set(pairs["seed_a"]) | set(pairs["seed_b"]))
    return f"{seeds} seeds, mean ARI {pairs['ari'].mean():.2f}", []


def _embedded(out) -> tuple[str, list[str]]:
    embedder, matrix = out
    distinct = embedder.n_embedded_ + embedder.n_cached_
    texts = f"{distinct:,} distinct texts: " if distinct != len(matrix) else ""  # repeated texts embedded once
    return (f"{len(matrix):,} paragraphs ({texts}{embedder.n_embedded_:,} computed, "
            f"{embedder.n_cached_:,} cached)"), []


#: Stage name -> what its output says when the stage ends: (text, warnings).
DESCRIBE: dict[str, Callable] = {
    "read": _articles,
    "segment": lambda out: (f"{len(out[0]):,} paragraphs, {len(out[1]):,} sentences", []),
    "embed": _embedded,
    "topics": _topics,
    "stability": _stability,
    "map": lambda out: (f"{len(out):,} points" if len(out) else "off", []),
    "stance": lambda out: (f"{len(out[0]):,} mentions scored", []),
    "write": lambda out: (f"{len(out)} tables", []),
    "report": lambda out: (Path(out).name, []),
}


def describe(label: str, out) -> tuple[str, list[str]]:
    """(what the stage ``label`` produced, its warnings); ``("done", [])`` for an output it cannot read.

    Display only: an output of another shape (a stage that changed) never
    fails a run, it is just not counted.
    """
    try:
        return DESCRIBE[label](out)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError):
        return "done", []


@dataclass
class _Stage:
    label: str
    started: float
    total: int | None = None
    completed: int = 0
    unit: str = ""
    task: int | None = field(default=None, repr=False)


class RunProgress:
    """Stages of one run shown as they go, a warnings summary at the end (see the module docstring).

    Use as a context manager around the run; wrap each stage with :meth:`run`.

    Parameters
    ----------
    show : print anything at all.
    console : where to print (default: standard error); a terminal gets the live display.
    """

    def __init__(self, show: bool = True, console: Console | None = None):
        self.show = show
        self.console = console

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> RunProgress:
        self.console_ = self.console or Console(stderr=True)
        self.live_ = self.show and _is_live(self.console_)
        self.started_ = time.perf_counter()
        self.finished_: dict[str, float] = {}
        self.skipped_: set[str] = set()
        self.warnings_: list[str] = []
        self.current_: _Stage | None = None
        self._stack = ExitStack()
        self._caught: list = []
        if self.show:
            self._caught = self._stack.enter_context(warnings.catch_warnings(record=True))
            # UMAP's note that a seeded fit runs on one thread: expected (seeds come from the config), not a problem.
            warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
        if self.live_:
            self._bar = self._stack.enter_context(_live_display(self.console_, self))
            self._overall = self._bar.add_task("overall", total=_total_weight(self.finished_), note="",
                                               overall=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self._stack.close()
        if self.show:
            self._summary(failed=exc_type is not None)
        return False

    # --------------------------------------------------------------- stages
    def run(self, name: str, fn: Callable, *args):
        """``fn(*args)`` as the stage ``name``: shown while it runs, described when it ends."""
        label = STAGE_LABELS.get(name, name)
        self._begin(label)
        try:
            out = fn(*args)
        except BaseException:
            self._end(label, "failed", [])
            raise
        self._end(label, *describe(label, out))
        return out

    def skip(self, *names: str, note: str = "from the stage cache") -> None:
        """Stages whose outputs came from elsewhere: shown as done, left out of the time estimate."""
        for name in names:
            label = STAGE_LABELS.get(name, name)
            self.skipped_.add(label)
            self._begin(label)
            self._end(label, note, [])

    def counted(self, map_batches: Callable, total: int | None = None, unit: str = "paragraphs") -> Callable:
        """``map_batches`` (an engine's batch map) whose finished batches count into the running stage.

        ``total`` is the stage's full count: texts not handed to the map
        (found in the cache, repeated) count as done from the start.
        """
        if not self.show:
            return map_batches

        def counting(spec: dict, batches: list[list[str]]) -> Iterator:
            todo = sum(len(b) for b in batches)
            full = todo if total is None else total
            self._count(full, full - todo, unit)
            for i, vecs in map_batches(spec, batches):
                self._count(full, (self.current_.completed if self.current_ else 0) + len(batches[i]), unit)
                yield i, vecs
        return counting

    def counter(self, unit: str) -> Callable[[int, int], None]:
        """``callback(done, total)`` that counts into the running stage (e.g. files read)."""
        return lambda done, total: self._count(total, done, unit)

    def _begin(self, label: str) -> None:
        self.current_ = stage = _Stage(label, time.perf_counter())
        if self.live_:
            stage.task = self._bar.add_task(label, total=None, note="", overall=False)

    def _count(self, total: int, completed: int, unit: str) -> None:
        stage = self.current_
        if stage is None or not self.show:
            return
        stage.total, stage.completed, stage.unit = total, min(completed, total), unit
        if self.live_:
            self._bar.update(stage.task, total=max(total, 1), completed=stage.completed,
                             note=f"{stage.completed:,}/{total:,} {unit}")

    def _end(self, label: str, text: str, found: list[str]) -> None:
        stage, self.current_ = self.current_, None
        seconds = time.perf_counter() - stage.started
        if text == "done" and stage.total:  # an output it could not read: the count it saw
            text = f"{stage.completed:,}/{stage.total:,} {stage.unit}"
        self.finished_[label] = seconds
        self.warnings_ += found
        if not self.show:
            return
        if self.live_:
            done = stage.total or 1
            self._bar.update(stage.task, total=done, completed=done, note=text,
                             description=label if text != "failed" else f"[red]{label} (failed)")
            self._bar.update(self._overall, total=_total_weight(self.finished_),
                             completed=sum(_weight(s) for s in self.finished_))
        else:
            self.console_.print(f"{PREFIX} {label}: {text} in {seconds:.1f} s", markup=False,
                                highlight=False, soft_wrap=True)

    # ------------------------------------------------------------ estimates
    def seconds_left(self) -> float | None:
        """Estimated seconds until the run ends (see the module docstring); ``None`` before any stage ended."""
        ran = {s: sec for s, sec in self.finished_.items() if s not in self.skipped_}
        done_weight = sum(_weight(s) for s in ran)
        if done_weight <= 0:
            return None
        rate = sum(ran.values()) / done_weight
        stage = self.current_
        to_come = _total_weight(self.finished_) - sum(_weight(s) for s in self.finished_)
        if stage is None:
            return rate * to_come
        own = rate * _weight(stage.label)
        if stage.total:
            left = own * (1 - stage.completed / stage.total)
        else:
            left = max(own - (time.perf_counter() - stage.started), 0.0)
        return left + rate * (to_come - _weight(stage.label))

    def overall_note(self) -> str:
        """``3/9 stages, about 0:12 left`` for the overall row."""
        if self.current_ is None and len(self.finished_) >= len(_planned(self.finished_)):
            return f"{len(self.finished_)}/{len(self.finished_)} stages done"
        left = self.seconds_left()
        when = "estimating time left" if left is None else f"about {_clock(left)} left"
        return f"{len(self.finished_)}/{len(_planned(self.finished_))} stages, {when}"

    # -------------------------------------------------------------- summary
    def all_warnings(self) -> list[str]:
        """Stage warnings, then each distinct Python warning raised during the run, once."""
        caught = [f"{w.category.__name__}: {w.message}" for w in self._caught]
        return self.warnings_ + list(dict.fromkeys(caught))

    def summary_lines(self, failed: bool = False) -> list[str]:
        """The closing lines: time taken, then at most ``MAX_WARNINGS`` warnings and a count of the rest."""
        found = self.all_warnings()
        seconds = time.perf_counter() - self.started_
        head = "stopped" if failed else f"finished {len(self.finished_)} stages in {seconds:.1f} s"
        count = f"{len(found)} warning{'s' if len(found) != 1 else ''}:" if found else "no warnings"
        lines = [f"{head}; {count}"]
        lines += [f"  {w}" for w in found[:MAX_WARNINGS]]
        if len(found) > MAX_WARNINGS:
            lines.append(f"  ... and {len(found) - MAX_WARNINGS} more (corpus warnings: manifest.json)")
        return [f"{PREFIX} {line}" for line in lines]

    def _summary(self, failed: bool) -> None:
        if failed and not self.all_warnings():
            return  # the error says it all
        for line in self.summary_lines(failed):
            self.console_.print(line, markup=False, highlight=False, soft_wrap=True)


class _NoteColumn(ProgressColumn):
    """A stage's count or result; for the overall row, the stages done and the time left."""

    def __init__(self, progress: RunProgress):
        super().__init__()
        self.progress = progress

    def render(self, task: Task) -> Text:
        if task.fields.get("overall"):
            return Text(self.progress.overall_note(), style="cyan", no_wrap=True, overflow="ellipsis")
        return Text(task.fields.get("note", ""), no_wrap=True, overflow="ellipsis")


def _live_display(console: Console, progress: RunProgress) -> Progress:
    return Progress(SpinnerColumn(finished_text="[green]✓"), TextColumn("{task.description:<10}"),
                    BarColumn(bar_width=24), TimeElapsedColumn(), _NoteColumn(progress),
                    console=console, refresh_per_second=5)


def _is_live(console: Console) -> bool:
    """A terminal that can redraw (not a pipe, a dumb terminal or a notebook)."""
    return console.is_terminal and not console.is_dumb_terminal and not console.is_jupyter


def _weight(label: str) -> float:
    return STAGE_WEIGHTS.get(label, 1)


def _planned(finished: dict[str, float]) -> list[str]:
    """The known stages and any other stage already run."""
    return list(STAGE_WEIGHTS) + [s for s in finished if s not in STAGE_WEIGHTS]


def _total_weight(finished: dict[str, float]) -> float:
    return sum(_weight(s) for s in _planned(finished))


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if minutes >= 60 else f"{minutes}:{secs:02d}"
