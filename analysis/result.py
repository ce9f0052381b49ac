"""What a run gives back: :class:`RunResult` (tables, folder, manifest, saved topic model).

It shows itself in one line (``repr``) and, in a notebook, as a small HTML
table. Run folders are written and read back by :mod:`analysis.runs`.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .topics.persist import load_topic_model

#: Tables a :class:`RunResult` names first in its one-line summary.
SUMMARY_TABLES = ("topics", "stance", "stance_by_topic", "articles")


@dataclass
class RunResult:
    """Everything a run produced: its tables, where it was written, and its manifest."""

    run_id: str
    run_dir: Path
    report_path: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(repr=False)

    def __repr__(self) -> str:
        """One line: run id, counts, the main tables and the folder (about 300 characters at most)."""
        counts = self.manifest.get("counts", {})
        names = [name for name in SUMMARY_TABLES if name in self.tables]
        more = len(self.tables) - len(names)
        shown = ", ".join(names) + (f" +{more} more" if more else "")
        folder = str(self.run_dir)
        folder = folder if len(folder) <= 80 else "…" + folder[-79:]
        return (f"<RunResult {str(self.run_id)[:40]}: {counts.get('accepted', '?')} articles, "
                f"{counts.get('topics', '?')} topics, {counts.get('mentions', '?')} mentions; "
                f"tables: {shown}; {folder}>")

    def _summary_rows(self) -> list[tuple[str, Any]]:
        m, counts = self.manifest, self.manifest.get("counts", {})
        config, resolved = m.get("config", {}), m.get("resolved", {})
        corpus = m.get("corpus", {})
        return [
            ("run", self.run_id), ("created", m.get("created", "")),
            ("corpus", ", ".join(map(str, corpus.get("paths", []))) or corpus.get("source", "")),
            ("articles", f"{counts.get('accepted', '?')} ({counts.get('rejected', 0)} rejected)"),
            ("paragraphs · sentences", f"{counts.get('paragraphs', '?')} · {counts.get('sentences', '?')}"),
            ("topics", counts.get("topics", "?")), ("target mentions", counts.get("mentions", "?")),
            ("seed", m.get("seed", "")), ("embedding model", config.get("embed", {}).get("model", "")),
            ("min cluster size", resolved.get("min_cluster_size", "")),
            ("stance scorer", m.get("stance_model", {}).get("scorer", "")),
        ]

    def _repr_html_(self) -> str:
        """A small HTML summary for notebooks: id, corpus, counts, key settings, report link, tables."""
        cell = "<tr><th style='text-align:left'>{}</th><td style='text-align:left'>{}</td></tr>"
        rows = [cell.format(html.escape(k), html.escape(str(v))) for k, v in self._summary_rows()]
        report = Path(self.report_path).absolute()
        link = (f"<a href='{html.escape(report.as_uri(), quote=True)}' target='_blank'>"
                f"{html.escape(str(report))}</a>")
        rows.append(cell.format("report", link))
        names = ", ".join(f"<code>{html.escape(name)}</code>" for name in sorted(self.tables))
        rows.append(cell.format(f"tables ({len(self.tables)})", names))
        return f"<table class='analysis-run'>{''.join(rows)}</table>"

    @property
    def topic_model(self):
        """The run's fitted BERTopic, loaded offline from ``topic_model/`` on first use (then kept).

        Raises :class:`analysis.topics.persist.TopicModelMissingError` when the
        run saved none (too few documents to fit topics).
        """
        if "_topic_model" not in self.__dict__:
            self.__dict__["_topic_model"] = load_topic_model(self.run_dir, self.manifest)
        return self.__dict__["_topic_model"]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)
