"""``analysis contrast``: differences in stance between a run's outlets or periods, with intervals."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

import analysis
from analysis.cli.options import fail as _fail

console = Console(soft_wrap=True, highlight=False)
console.width = max(console.width, 150)  # the table stays readable in a pipe or a narrow window
__all__ = ["contrast", "register"]


def contrast(run_dir: Path = typer.Argument(..., help="A run folder, e.g. reports/<run-id>."),
             by: str = typer.Option("source", "--by", help="source (outlets) or period."),
             target: Optional[str] = typer.Option(None, "--target", help="Only this target (default: all)."),
             max_groups: int = typer.Option(10, "--max-groups", help="Compare the N groups with the most articles."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the whole table to this CSV.")) -> None:
    """Pairwise differences of mean stance between a run's outlets (or periods), with bootstrap intervals."""
    if not (run_dir / "manifest.json").is_file():
        _fail(f"{run_dir} is not a run folder (no manifest.json)")
    try:
        table = analysis.run_contrasts(run_dir, by=by, max_groups=max_groups)
    except (FileNotFoundError, KeyError, ValueError) as err:
        _fail(str(err))
    if target is not None:
        table = table[table["target"] == target]
    if table.empty:
        console.print(f"nothing to compare: fewer than two {by} groups with scored mentions"
                      + (f" of {target}" if target else ""), markup=False)
    else:
        console.print(_table(table, by))
        console.print("difference = mean stance of A minus B (-1 against .. +1 favor); interval: percentile "
                      "bootstrap over each group's articles, not adjusted for the number of pairs; "
                      "* = interval excludes 0; (small) = a group under the run's min_articles.", markup=False)
    if out is not None:
        table.to_csv(out, index=False)
        console.print(f"table: {out}", markup=False)


def _table(table, by: str) -> Table:
    view = Table(title=f"Stance differences by {by}")
    for name in ("target", "A", "B", "articles A / B", "mean A", "mean B", "difference", "interval"):
        view.add_column(name, justify="right" if name not in ("target", "A", "B") else "left")
    for row in table.itertuples(index=False):
        interval = "n/a" if row.ci_low != row.ci_low else f"[{row.ci_low:+.2f}, {row.ci_high:+.2f}]"
        mark = ("*" if row.excludes_zero else "") + (" (small)" if row.small_group else "")
        view.add_row(row.target, row.group_a, row.group_b, f"{row.n_articles_a} / {row.n_articles_b}",
                     f"{row.mean_a:+.2f}", f"{row.mean_b:+.2f}", f"{row.difference:+.2f}{mark}", interval)
    return view


def register(app: typer.Typer) -> None:
    """Add ``contrast`` to the main ``analysis`` app."""
    app.command("contrast")(contrast)
