"""Corpus stage: read news articles, validate them, segment them, fingerprint them.

Readers (digest, JSONL, JSON, CSV, Excel, Parquet, web pages, Word, RTF, text files,
folders, zip archives; each file may be gzip-, bz2- or xz-compressed) turn
input into raw records; validation accepts or rejects each one (nothing is
dropped silently) and names near-copies; segmentation yields paragraph and
sentence tables with offsets.
Table columns are those of :mod:`analysis.schema`.
"""
from __future__ import annotations

from .errors import CorpusError
from .fingerprint import corpus_fingerprint
from .load import load_corpus, load_corpus_frame
from .profile import corpus_profile, profile_lines
from .result import CorpusLoad
from .segment import segment

__all__ = [
    "CorpusError", "CorpusLoad", "corpus_fingerprint", "corpus_profile", "load_corpus",
    "load_corpus_frame", "profile_lines", "segment",
]
