"""Printing the benchmark's figures (plain text) and turning them into JSON."""
from __future__ import annotations

import pandas as pd


def _table(df: pd.DataFrame) -> str:
    return df.to_string(index=False, float_format=lambda v: f"{v:,.2f}")


def format_bench(result: dict) -> str:
    """The benchmark as readable text: one block per measurement."""
    p = result["pipeline"]
    lines = [f"corpus: {result['n_docs']:,} documents ({', '.join(result['corpora'])}), "
             f"{p['paragraphs']:,} paragraphs; backend={result['backend']}, fit_sample={result['fit_sample']}, "
             f"assign={result['assign']}, stance model={result.get('stance_model', 'default')}",
             "", "pipeline stages (cold run):", _table(p["stages"]), "",
             f"cold run: {p['cold_s']:.1f} s wall, {p['cold_cpu_s']:.1f} s CPU in this process "
             f"({p['docs'] / p['cold_s']:,.1f} docs/s); "
             f"warm rerun: {p['warm_s']:.2f} s (reused={p['warm_reused']}); "
             f"cold/warm = {p['cold_s'] / p['warm_s']:,.0f}x",
             f"peak RSS after the cold run: {p['peak_rss_mb']:,.0f} MB; "
             f"embedding cache hit rate (cold run): {p['cache_hit_rate']:.1%}"]
    check = p["resolved"].get("check_agreement")
    if check is not None:
        how = result.get("assign", "transform")
        lines.append(f"topics fitted on {p['resolved']['fit_sample']:,} units, "
                     f"{p['resolved']['assigned_by_transform']:,} assigned by {how}; agreement of "
                     f"{how} with the fit on {p['resolved']['check_sample']:,} check units: {check:.1%}")
    if "embedding" in result:
        lines += ["", f"baselines on the first {result['baseline_docs']:,} documents "
                  f"({result['baseline_paragraphs']:,} paragraphs), same texts:",
                  _table(result["embedding"]),
                  f"min cosine, analysis transformer vs plain encode: {result['min_cosine_vs_plain']:.6f}",
                  "", _table(result["topics"]), "", "topic quality against the reference labels (articles):",
                  _table(result["quality"])]
    if "stance" in result:
        lines += ["", "stance scoring on the same documents' target mentions (model load excluded):",
                  _table(result["stance"])]
    return "\n".join(lines)


def format_warm(result: dict) -> str:
    """Cold versus warm runs (:func:`analysis.eval.bench.warm_runs`) as readable text."""
    runs = result["runs"]
    warm = runs.iloc[1]
    return "\n".join([
        f"cold versus warm on {result['corpus']} ({result['docs']:,} documents, "
        f"{result['paragraphs']:,} paragraphs); each warm run into a new output folder, same cache:",
        _table(runs), "",
        f"cold {runs['seconds'].iloc[0]:.1f} s; {warm['run']} {warm['seconds']:.2f} s "
        f"({warm['x_cold']:,.0f}x faster); tables identical in every run: {bool(runs['same_tables'].all())}",
        *_edit_lines(result.get("edits"))])


def _edit_lines(edits: pd.DataFrame | None) -> list[str]:
    if edits is None or edits.empty:
        return []
    return ["", "edits of the cold run's folder (relabel the largest topic; merge the two largest), "
            "each on a fresh copy, as a function call and as a command (new process):", _table(edits)]


def bench_json(result: dict) -> dict:
    """The result with every table as a list of records."""
    def conv(v):
        if isinstance(v, pd.DataFrame):
            return v.to_dict(orient="records")
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        return v
    return conv(result)
