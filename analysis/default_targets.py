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

CHINA: dict = {
    "name": "China",
    "aliases": ["China", "Chinese", "Beijing", "PRC", "Xi Jinping", "Zhongnanhai"],
    "patterns": [],
}

#: "Turkey" is matched case-sensitively (a pattern), so the bird is not a mention.
TURKEY: dict = {
    "name": "Turkey",
    "aliases": ["Türkiye", "Turkiye", "Turkish", "Turks", "Ankara", "Erdoğan", "Erdogan"],
    "patterns": [r"(?<!\w)Turkey(?!\w)"],
}

IRAN: dict = {
    "name": "Iran",
    "aliases": ["Iran", "Iranian", "Iranians", "Tehran", "Islamic Republic", "Khamenei"],
    "patterns": [],
}

UKRAINE: dict = {
    "name": "Ukraine",
    "aliases": ["Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev", "Zelensky", "Zelenskyy"],
    "patterns": [],
}

UNITED_STATES: dict = {
    "name": "the United States",
    "aliases": ["United States", "U.S.", "US", "USA", "America", "American", "Americans",
                "Washington", "White House", "Pentagon", "State Department"],
    "patterns": [],
}

#: Targets known by name: a config entry that gives only ``name`` (no
#: aliases, no patterns) takes its definition from here. Annotated data for
#: other targets is matched through these definitions too.
KNOWN_TARGETS: dict[str, dict] = {
    t["name"]: t for t in (RUSSIA, WEST, CHINA, TURKEY, IRAN, UKRAINE, UNITED_STATES)
}
