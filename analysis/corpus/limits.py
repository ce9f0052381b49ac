"""Size limits per article: enforced by truncation, always reported."""
from __future__ import annotations

from dataclasses import dataclass

from .segment import paragraph_spans


@dataclass(frozen=True)
class Limits:
    """Most characters and paragraphs kept per article."""

    max_chars: int = 200_000
    max_paragraphs: int = 2_000

    def __post_init__(self) -> None:
        for name in ("max_chars", "max_paragraphs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


def apply_limits(text: str, limits: Limits) -> tuple[str, list[str]]:
    """Truncate ``text`` to the limits; return it and what was done (if anything).

    Paragraphs beyond ``max_paragraphs`` are dropped first; then a text still
    over ``max_chars`` is cut, at a whitespace when one lies in the last
    fifth of the allowed length.
    """
    notes: list[str] = []
    spans = paragraph_spans(text)
    if len(spans) > limits.max_paragraphs:
        text = text[: spans[limits.max_paragraphs - 1][1]]
        notes.append(
            f"{len(spans):,} paragraphs, truncated to the first {limits.max_paragraphs:,} (max_paragraphs)"
        )
    if len(text) > limits.max_chars:
        before = len(text)
        text = _cut(text, limits.max_chars)
        notes.append(f"{before:,} characters, truncated to {len(text):,} (max_chars={limits.max_chars:,})")
    return text, notes


def _cut(text: str, max_chars: int) -> str:
    head = text[:max_chars]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space >= max_chars * 0.8:
        head = head[:space]
    head = head.rstrip()
    return head if head else text[:max_chars]
