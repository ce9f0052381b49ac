"""Reader for the ukraine_news_bias evaluation set (Färber et al., CIKM 2020).

The set holds 90 English news articles on the 2014 Ukraine crisis, 2,057
sentences, each judged by 5 crowd workers for how the Russian, Ukrainian and
Western *governments* are framed: 2 positive, 1 slightly positive, 0
neutral, -1 slightly negative, -2 negative. The authors aggregate the
judgements into ``avg``, ``maj`` (majority) and ``intensified`` (majority,
except that a non-neutral answer chosen by at least two workers wins).

Label mapping to stance (fixed before looking at any predictions)
----------------------------------------------------------------
Target ``Russia`` takes the framing of the Russian government, target
``the West`` the framing of the Western governments. With ``label_rule``:

* ``"intensified"`` (default): favor if the intensified score is > 0,
  against if < 0, else neutral (needs >= 2 of 5 workers to agree on a
  non-neutral direction);
* ``"avg"``: favor if the average judgement is >= 0.4, against if <= -0.4,
  else neutral (a net two "slightly" votes, or one strong vote, out of 5);
* ``"maj"``: sign of the majority vote (almost everything is neutral).

Caveats (see the dataset's SOURCE.md): the signal is very sparse (18
non-neutral Russia sentences and 3 West sentences under ``intensified``),
agreement was low, and framing of a government is not the same thing as a
sentence's stance toward a country; use the figures as a sanity check,
never as a benchmark. The sentences are copyrighted excerpts: do not
redistribute them.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

#: Dataset key of the framed government for each stance target.
TARGET_KEYS = {"Russia": "russia", "the West": "west"}
LABEL_RULES = ("intensified", "avg", "maj")
AVG_THRESHOLD = 0.4

_ARTICLE_FILE = re.compile(r"article_(\d+)\.json$")


def json_dir(path: str | Path) -> Path:
    """Return the folder holding ``article_*.json`` (the root or its json subfolder)."""
    path = Path(path)
    for candidate in (path / "all-data-as-json", path):
        if candidate.is_dir() and any(candidate.glob("article_*.json")):
            return candidate
    raise FileNotFoundError(f"no article_*.json files under {path}")


def article_files(path: str | Path, max_articles: int | None = None) -> list[Path]:
    """Article files in numeric order (article_0, article_1, ...), optionally the first few."""
    files = [p for p in json_dir(path).iterdir() if _ARTICLE_FILE.search(p.name)]
    files.sort(key=lambda p: int(_ARTICLE_FILE.search(p.name).group(1)))
    return files if max_articles is None else files[:max_articles]


def stance_from_framing(framing_score: dict, rule: str) -> str:
    """Map one government's framing score dict to favor/against/neutral."""
    if rule == "avg":
        value = float(framing_score["avg"])
        threshold = AVG_THRESHOLD
    elif rule in ("intensified", "maj"):
        value = float(framing_score[rule])
        threshold = 1e-9
    else:
        raise ValueError(f"label_rule must be one of {LABEL_RULES}, got {rule!r}")
    if value >= threshold:
        return "favor"
    if value <= -threshold:
        return "against"
    return "neutral"


def load_ukraine_news_bias(path: str | Path, label_rule: str = "intensified",
                           max_articles: int | None = None,
                           targets: dict[str, str] | None = None):
    """Read the set into a SENTENCES table and a gold-label table.

    Returns ``(sentences, gold)``: ``sentences`` has ``schema.SENTENCES``
    columns (one paragraph per article, ``<article>:p0``; offsets are into
    the sentences joined by single spaces); ``gold`` has ``sentence_id,
    target, gold`` for each target in ``targets`` (default
    :data:`TARGET_KEYS`, stance target -> dataset government key).
    """
    if label_rule not in LABEL_RULES:
        raise ValueError(f"label_rule must be one of {LABEL_RULES}, got {label_rule!r}")
    targets = TARGET_KEYS if targets is None else targets
    sentence_rows, gold_rows = [], []
    for file in article_files(path, max_articles):
        article = json.loads(file.read_text(encoding="utf-8"))
        offset = 0
        ordered = sorted(article["sentences"], key=lambda s: s["position_in_article"])
        for sentence in ordered:
            text, position = sentence["content"], int(sentence["position_in_article"])
            paragraph_id = f"{article['id']}:p0"
            sentence_id = f"{paragraph_id}:s{position}"
            sentence_rows.append((sentence_id, paragraph_id, article["id"], position,
                                  offset, offset + len(text), text))
            offset += len(text) + 1
            framing = sentence["framing"]["score"]
            for target, key in targets.items():
                gold_rows.append((sentence_id, target, stance_from_framing(framing[key], label_rule)))
    sentences = pd.DataFrame(sentence_rows, columns=[
        "sentence_id", "paragraph_id", "article_id", "position", "start", "end", "text"])
    gold = pd.DataFrame(gold_rows, columns=["sentence_id", "target", "gold"])
    return sentences, gold
