"""Interactive views of the report: free functions from result tables to plotly figures.

* :func:`document_map`: the ``paragraph_map`` table's points coloured by
  topic, with each paragraph's article title, outlet, topic and opening words
  on hover; zoom and pan, and a click on a legend entry hides a topic.
* :func:`topic_word_bars`: each topic's keywords as bars, one topic at a
  time, picked from a dropdown.

Topics keep the names and colours of the static figures (the topic palette,
largest topic first, from :func:`analysis.report.figures_map.topic_styles`).
Every text taken from the data is HTML-escaped before it reaches plotly,
which otherwise reads a few tags (``<b>``, ``<br>``, ``<a href>``) in hover
text and labels: a ``<script>`` in a title is shown as text. The
``*_spec`` functions give the same views as plain plotly.js data (what the
report embeds, without importing plotly); the others wrap them in plotly
figures for notebooks. How the figures are put into
``report.html`` is in :mod:`analysis.report.interactive_page`.
"""
from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.report import style
from analysis.report._format import shorten
from analysis.report._tables import lookup
from analysis.report.figures_map import OUTLIER_TOPIC, topic_names, topic_order, topic_styles

if TYPE_CHECKING:  # pragma: no cover
    from plotly.graph_objects import Figure

#: plotly marker symbol of each matplotlib marker used by the static map.
SYMBOLS = {"o": "circle", "s": "square", "^": "triangle-up"}
TITLE_CHARS = 120
SNIPPET_CHARS = 160
#: Keywords drawn per topic (the topics table keeps the top words, best first).
MAX_WORDS = 15
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 12, "color": style.TEXT}
WORDS_CAPTION = ("Keywords of each topic, best first; pick a topic from the menu. The run stores "
                 "each topic's keywords in rank order without their c-TF-IDF weights, so a bar's "
                 "length is the keyword's rank score (the first of n keywords scores n, the last 1), "
                 "not a weight.")
#: customdata columns of a map point, as :data:`MAP_HOVER` shows them.
HOVER_COLUMNS = ["title", "source", "topic", "snippet", "paragraph"]
MAP_HOVER = ("<b>%{customdata[0]}</b><br>Outlet: %{customdata[1]}<br>Topic: %{customdata[2]}"
             "<br><i>%{customdata[3]}</i><br>%{customdata[4]}<extra></extra>")
MAP_CAPTION = ("The paragraph map to explore: hover over a dot for its article title, outlet, topic "
               "and opening words; drag to zoom, double-click to reset, click a topic in the legend "
               "to hide it.")


def plotly_text(value: Any, limit: int | None = None) -> str:
    """Untrusted text for plotly: one line, shortened, ``&``, ``<`` and ``>`` escaped."""
    return html.escape(shorten(value, limit) if limit else " ".join(str(value).split()), quote=False)


def _topic_name(topic: int, names: dict[int, str]) -> str:
    return style.OUTLIER_LABEL if topic == OUTLIER_TOPIC else names.get(topic, f"Topic {topic}")


def _hover_rows(map_df: pd.DataFrame, paragraphs: pd.DataFrame | None,
                articles: pd.DataFrame | None) -> pd.DataFrame:
    """Title, outlet and opening words of every mapped paragraph, escaped for plotly."""
    arts = articles if articles is not None else pd.DataFrame(columns=["article_id", "title", "source"])
    paras = paragraphs if paragraphs is not None else pd.DataFrame(columns=["paragraph_id", "text"])
    titles, sources = lookup(arts, "article_id", "title"), lookup(arts, "article_id", "source")
    texts = lookup(paras, "paragraph_id", "text")
    aid, pid = map_df["article_id"], map_df["paragraph_id"]
    return pd.DataFrame({
        "title": [plotly_text(titles.get(a) or a, TITLE_CHARS) for a in aid],
        "source": [plotly_text(sources.get(a) or "–", 60) for a in aid],
        "snippet": [plotly_text(texts.get(p, ""), SNIPPET_CHARS) for p in pid],
        "paragraph": [plotly_text(p, 80) for p in pid],
    }, index=map_df.index)


def _base_layout(title: str, height: int) -> dict:
    return {"title": {"text": title, "x": 0.01, "font": {"size": 15}}, "height": height,
            "font": FONT, "template": "simple_white", "margin": {"l": 20, "r": 20, "t": 50, "b": 40},
            "hoverlabel": {"align": "left", "namelength": -1}}


def document_map(map_df: pd.DataFrame | None, topics: pd.DataFrame | None = None,
                 paragraphs: pd.DataFrame | None = None,
                 articles: pd.DataFrame | None = None) -> "Figure | None":
    """The paragraph map with hover details, as a plotly figure: one trace per topic, largest first.

    ``map_df`` is the ``paragraph_map`` table (paragraph_id, article_id,
    topic, x, y); ``topics``, ``paragraphs`` and ``articles`` give topic
    names, opening words, titles and outlets. ``None`` without points.
    """
    return _figure(document_map_spec(map_df, topics, paragraphs, articles))


def document_map_spec(map_df: pd.DataFrame | None, topics: pd.DataFrame | None = None,
                      paragraphs: pd.DataFrame | None = None,
                      articles: pd.DataFrame | None = None) -> dict | None:
    """:func:`document_map` as plain plotly.js data (``{"data": [...], "layout": {...}}``)."""
    if map_df is None or map_df.empty:
        return None
    df = map_df.assign(topic=map_df["topic"].astype(int))
    hover = _hover_rows(df, paragraphs, articles)
    names = topic_names(topics)
    order = topic_order(df, topics)
    styles = topic_styles(order)
    ranks = {t: i for i, t in enumerate([t for t in order if t != OUTLIER_TOPIC] + [OUTLIER_TOPIC])}
    traces = []
    for topic in [OUTLIER_TOPIC, *[t for t in order if t != OUTLIER_TOPIC]]:  # outliers drawn below
        rows = df["topic"] == topic
        if not rows.any():
            continue
        colour, marker = styles[topic]
        label = plotly_text(_topic_name(topic, names), 60)
        traces.append({
            "type": "scatter", "x": _numbers(df.loc[rows, "x"]), "y": _numbers(df.loc[rows, "y"]),
            "mode": "markers", "name": label, "legendrank": 1000 + ranks[topic],
            "customdata": hover.loc[rows].assign(topic=label)[HOVER_COLUMNS].to_numpy().tolist(),
            "marker": {"color": colour, "symbol": SYMBOLS.get(marker, "circle"), "size": 7,
                       "opacity": 0.6 if topic == OUTLIER_TOPIC else 0.85},
            "hovertemplate": MAP_HOVER})
    layout = {**_base_layout("Map of paragraphs by topic", 560), "dragmode": "zoom",
              "legend": {"title": {"text": "Topic"}, "itemsizing": "constant"},
              "xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return {"data": traces, "layout": layout}


def _keywords(value: Any) -> list[str]:
    if value is None or isinstance(value, str | float):
        return [value] if isinstance(value, str) and value else []
    return [str(w) for w in list(value) if str(w).strip()]


def topic_word_bars(topics: pd.DataFrame | None,
                    map_df: pd.DataFrame | None = None) -> "Figure | None":
    """Each topic's keywords as horizontal bars, one topic shown at a time (dropdown), as a plotly figure.

    Bar length is the keyword's rank score (see :data:`WORDS_CAPTION`): the
    topics table stores keywords in order, without weights. Outliers are
    left out. ``map_df`` (optional) fixes the topic order and colours to
    those of the map. ``None`` when no topic has keywords.
    """
    return _figure(topic_word_bars_spec(topics, map_df))


def topic_word_bars_spec(topics: pd.DataFrame | None, map_df: pd.DataFrame | None = None) -> dict | None:
    """:func:`topic_word_bars` as plain plotly.js data (``{"data": [...], "layout": {...}}``)."""
    if topics is None or topics.empty:
        return None
    words = {int(t): _keywords(k)[:MAX_WORDS] for t, k in zip(topics["topic"], topics["keywords"])}
    order = [t for t in topic_order(map_df, topics) if t != OUTLIER_TOPIC]
    order += sorted(t for t in words if t not in order and t != OUTLIER_TOPIC)
    shown = [t for t in order if words.get(t)]
    if not shown:
        return None
    styles, names = topic_styles(order), topic_names(topics)
    traces = []
    for i, topic in enumerate(shown):
        ranked = words[topic]
        n = len(ranked)
        traces.append({
            "type": "bar", "x": list(range(n, 0, -1)), "y": [plotly_text(w, 40) for w in ranked],
            "orientation": "h", "name": plotly_text(_topic_name(topic, names), 60), "visible": i == 0,
            "marker": {"color": styles[topic][0]}, "customdata": list(range(1, n + 1)),
            "hovertemplate": "%{y}: keyword %{customdata} of " + str(n) + "<extra></extra>"})
    labels = [plotly_text(_topic_name(t, names), 60) for t in shown]
    buttons = [{"label": f"{t}: {label}", "method": "update",
                "args": [{"visible": [j == i for j in range(len(shown))]},
                         {"title.text": f"Keywords of {label}"}]}
               for i, (t, label) in enumerate(zip(shown, labels))]
    layout = _base_layout(f"Keywords of {labels[0]}", 480)
    layout.update(
        showlegend=False, margin={**layout["margin"], "t": 100},  # room for the menu below the toolbar
        updatemenus=[{"buttons": buttons, "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom",
                      "showactive": True}],
        yaxis={"autorange": "reversed"},
        xaxis={"title": {"text": "Rank score (first keyword = longest bar; not a weight)"},
               "showgrid": True, "dtick": 1})
    return {"data": traces, "layout": layout}


def _numbers(values: pd.Series) -> list:
    """Plain floats for JSON, ``None`` (a gap for plotly.js) where a value is missing or infinite."""
    return [float(v) if math.isfinite(v) else None for v in values.astype(float)]


def _figure(spec: dict | None) -> "Figure | None":
    """A plotly figure of plain plotly.js data (plotly is imported here, not for the report)."""
    if spec is None:
        return None
    import plotly.graph_objects as go

    return go.Figure(spec)
