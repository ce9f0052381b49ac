"""The report of a real run on the sample corpus: map table, figure files, embedded images, notes."""
from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
from PIL import Image

from analysis.report.map_layout import PARAGRAPH_MAP, ParagraphMapper, paragraph_map_table


def test_paragraph_map_covers_the_modelled_paragraphs(sample_run):
    pmap = sample_run.paragraph_map
    assert list(pmap.columns) == PARAGRAPH_MAP
    modelled = sample_run.paragraph_topics[sample_run.paragraph_topics["probability"].notna()]
    assert len(pmap) == len(modelled) > 10
    merged = pmap.merge(modelled, on="paragraph_id", suffixes=("", "_assigned"))
    assert (merged["topic"] == merged["topic_assigned"]).all()
    assert np.isfinite(pmap[["x", "y"]].to_numpy()).all()
    assert "paragraph_map" in sample_run.manifest["tables"]


def test_run_folder_has_print_quality_figures(sample_run):
    figures = sample_run.run_dir / "figures"
    targets = sorted(sample_run.stance["target"].unique())
    assert targets
    stems = ["topic_sizes", "paragraph_map", "stance_distribution", "topic_quality",
             *(f"stance_by_topic_{t.lower().replace(' ', '_')}" for t in targets)]
    for stem in stems:
        assert (figures / f"{stem}.pdf").is_file(), stem
        with Image.open(figures / f"{stem}.png") as png:
            assert round(png.info["dpi"][0]) == 300, stem


def test_report_embeds_lighter_images_and_notes_what_is_missing(sample_run):
    html = sample_run.report_path.read_text(encoding="utf-8")
    uris = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    with Image.open(io.BytesIO(base64.b64decode(uris[0]))) as embedded, \
            Image.open(sample_run.run_dir / "figures" / "topic_sizes.png") as saved:
        assert embedded.width * 2 == saved.width  # 150 dpi in the page, 300 dpi on disk
    assert len(uris) == len(list((sample_run.run_dir / "figures").glob("*.png")))
    # the sample digest has neither dates nor outlets: those figures are left out, with a note
    assert "No dated articles: topics over time omitted." in html
    assert "Scored sentences come from fewer than two outlets: stance by outlet omitted." in html
    assert not (sample_run.run_dir / "figures" / "topics_over_time.png").exists()
    assert "Key findings" in html and 'id="validation"' in html


def test_mapper_is_seeded_and_needs_a_neighbourhood():
    vectors = np.random.default_rng(0).normal(size=(30, 16))
    rows, first = ParagraphMapper(n_neighbors=5, random_state=3).fit_transform(vectors)
    _, again = ParagraphMapper(n_neighbors=5, random_state=3).fit_transform(vectors)
    assert list(rows) == list(range(30)) and first.shape == (30, 2)
    np.testing.assert_array_equal(first, again)
    sampled, coords = ParagraphMapper(max_points=12, random_state=3).fit_transform(vectors)
    assert len(sampled) == 12 and coords.shape == (12, 2)
    topics = pd.DataFrame({"paragraph_id": list("abc"), "article_id": "x", "topic": 0,
                           "probability": 1.0})
    assert paragraph_map_table(topics, vectors[:3]).empty
