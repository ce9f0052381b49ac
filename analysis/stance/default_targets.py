"""The default stance targets: Russia and the West.

Each target is a plain dict (see :class:`analysis.stance.targets.TargetMatcher`
for the format). Choices and known limitations, decided up front rather than
tuned on any evaluation data:

Russia
    The country, its demonym/adjective (``Russian``, ``Russians``), the
    metonyms ``Moscow`` and ``Kremlin`` and the long-serving top officials
    ``Putin``, ``Lavrov``, ``Medvedev``, ``Shoigu``, ``Peskov``.
    ``Soviet``/``USSR`` are **not** aliases: they name a historical state and
    in news mostly date things ("Soviet-era"), so they would add noise.
    ``Russian`` also fires on the ethnic/linguistic sense ("ethnic Russians",
    "Russian-speaking"), which is a known false positive.

the West (target name ``"the West"``)
    ``Europe``, ``European(s)``, ``European Union``, ``European Commission``,
    ``EU``, ``NATO``, ``United States``, ``U.S.``, ``US``, ``USA``,
    ``America``, ``American(s)``, ``Washington``, ``Brussels``, ``White
    House``, ``Pentagon``, ``G7``; plus two case-sensitive patterns: ``the
    West`` / ``The West`` (lower-case "the west of the country" is a direction,
    not the target) and ``Western`` / ``Westerners``. Western leaders are not
    listed by name because they change with the period studied; add them with
    a user-defined target list when needed.
    Known false positives, left as is: "Western Ukraine", "Latin America",
    "Washington Post", "Eastern Europe", "European Court of Human Rights".

The matcher skips mentions directly prefixed by ``pro-`` or ``anti-`` (e.g.
"pro-Russian separatists", "anti-Western rhetoric"): those words describe a
third party's alignment, not the target acting or being acted upon.
"""
from __future__ import annotations

RUSSIA: dict = {
    "name": "Russia",
    "aliases": [
        "Russia", "Russian Federation", "Russian", "Russians",
        "Moscow", "Kremlin", "Putin", "Lavrov", "Medvedev", "Shoigu", "Peskov",
    ],
    "patterns": [],
}

WEST: dict = {
    "name": "the West",
    "aliases": [
        "Europe", "European", "Europeans", "European Union", "European Commission",
        "EU", "NATO", "G7",
        "United States", "U.S.", "US", "USA", "America", "American", "Americans",
        "Washington", "Brussels", "White House", "Pentagon",
    ],
    "patterns": [
        r"(?<!\w)[Tt]he\s+West(?!\w)",
        r"(?<!\w)Western(?:ers)?(?!\w)",
    ],
}

#: Default targets, in output order.
DEFAULT_TARGETS: list[dict] = [RUSSIA, WEST]
