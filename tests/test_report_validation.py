"""The report's Validation section: where each figure's data comes from, label shares and ECE."""
from __future__ import annotations

from analysis.report.context_findings import key_findings
from analysis.report.context_validation import validation
from analysis.report._format import fmt_pct
from analysis.stance.crossencoder.io import read_crossencoder_info
from analysis.stance.validation import run_validation_tables


def test_shipped_model_blocks_name_their_data_shares_and_ece():
    tables = run_validation_tables("stance.crossencoder.v1")
    blocks = {b["split"]: b for b in validation(tables, {})["scorers"]}
    stored = {s["name"]: s for s in read_crossencoder_info("default")["validation"]}
    real = blocks["newsmtsc dev_rw (real)"]
    assert "labelled by people" in real["note"] and "optimistic" in real["note"]
    dev = stored["newsmtsc dev_rw (real)"]
    for label in ("favor", "against", "neutral"):
        assert f"{label} {fmt_pct(dev['predicted_shares'][label])}" in real["calibration"].split("gold")[0]
        assert f"{label} {fmt_pct(dev['gold_shares'][label])}" in real["calibration"].split("gold")[1]
    assert f"(ECE) of the calibrated probabilities: {dev['summary']['ece']:.3f}" in real["calibration"]
    assert "generated" in blocks["generated test"]["note"]
    assert "labelled by people" not in blocks["generated test"]["note"]


def test_fast_learner_validation_is_called_generated():
    tables = run_validation_tables("stance.learner.v1", "fast")
    blocks = validation(tables, {})["scorers"]
    assert [b["scorer"] for b in blocks] == ["stance.learner.v1", "stance.lexicon.v1"]
    assert all("generated" in b["note"] for b in blocks)
    assert blocks[0]["calibration"] and blocks[1]["calibration"] is None  # shares are the learner's
    finding = [f for f in key_findings(tables, {}, []) if f.startswith("Stance scorer")]
    assert finding and "generated: written and labelled by a language model" in finding[0]


def test_methods_say_what_the_score_measures():
    from analysis.report.methods import scorer_meaning

    default = scorer_meaning("stance.crossencoder.v1", "default")
    assert "NewsMTSC" in default and "not the outlet's own position" in default
    for model in ("default", "fast", "static"):
        assert "generated" in scorer_meaning("stance.learner.v1", model)
    assert "baseline" in scorer_meaning("stance.lexicon.v1", "default")
    assert "models/mine" in scorer_meaning("stance.crossencoder.v1", "models/mine")
