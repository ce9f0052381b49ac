"""The default stance targets, defined like a codebook: Russia and the West.

Each target is a plain dict (see :class:`analysis.stance.targets.TargetMatcher`
for the format): ``aliases`` (any case, acronyms only in capitals),
``cased_aliases`` (capital initials must be capitals in the text),
``patterns`` (regular expressions as written) and ``exclude`` (regular
expressions; an alias inside a match is not a mention). Besides each target's
own exclusions, the matcher drops every alias inside a dateline
("WASHINGTON (Reuters) -", "MOSCOW, March 3 (AP) —"), and every alias directly
prefixed by ``pro-`` or ``anti-``.

Choices, decided up front rather than tuned on any evaluation data:

Russia
    The country, its demonym/adjective (``Russian``, ``Russians``), the
    metonyms ``Moscow`` and ``Kremlin`` and the long-serving top officials
    ``Putin``, ``Lavrov``, ``Medvedev``, ``Shoigu``, ``Peskov``.
    ``Soviet``/``USSR`` are **not** aliases: they name a historical state and
    in news mostly date things ("Soviet-era"). Not mentions: the ethnic and
    linguistic senses ("ethnic Russians", "Russian-speaking", "in Russian"),
    and names that merely contain the word ("Russian Orthodox Church",
    "Russian roulette", "White Russian").

the West (target name ``"the West"``)
    Europe and its institutions (``Europe``, ``European(s)``, ``European
    Union``, ``European Commission``, ``EU``, ``Brussels``), ``NATO``, ``G7``,
    and **the United States** (``United States``, ``U.S.``, ``US``, ``USA``,
    ``America``, ``American(s)``, ``Washington``, ``White House``,
    ``Pentagon``): in the politics of the post-Soviet space "the West" is
    above all the EU, NATO and the United States, so the United States counts
    as the West by default. For stance toward the United States alone, use the
    target ``"the United States"`` (known by name); for a West without it,
    define a target of your own. ``the West`` and ``Western(ers)`` are
    case-aware: "the west of the country" is a direction. Not mentions:
    places, organisations and people whose names contain an alias ("Western
    China", "Western Ukraine", "Western Union", "The Washington Post",
    "George Washington", "Latin America", "Bank of America", "Eastern
    Europe"), hyphenated identities ("Russian-Americans", "African
    Americans"), sports competitions ("European Championship") and the film
    genre ("a Western", "spaghetti Westerns"), and "Western-style" (a style,
    not the actor; "Western-backed" stays a mention). Western leaders are not listed
    by name because they change with the period studied.
"""
from __future__ import annotations

#: Places, organisations and people whose names contain a United States alias.
US_EXCLUDE: list[str] = [
    r"Washington\s+(?:Post|Times|Examiner|Free\s+Beacon|Monthly|Institute|Nationals|Commanders"
    r"|Wizards|Capitals|Mystics|State|University|Consensus|Heights|Square|Irving)\b",
    r"(?:University\s+of|George|Denzel|Booker\s+T\.?|Mount|Lake)\s+Washington\b",
    r"(?:Latin|South|Central|Middle)\s+Americ(?:a|an|ans)\b",
    r"(?:Bank|Voice|Miss|Captain|Good\s+Morning|United\s+States\s+of)\s+(?:of\s+)?America\b",
    r"\b[A-Z][a-z]+-Americans?\b",
    r"\b(?:African|Asian|Native|Arab|Hispanic|Latino|Irish|Italian|Mexican|Chinese|Korean"
    r"|Japanese|Indian|Jewish|Muslim)\s+Americans?\b",
]

#: Places, organisations, competitions and genre words that contain a West alias.
WEST_EXCLUDE: list[str] = US_EXCLUDE + [
    # "Western" before a proper name is a place or an organisation ("Western China",
    # "Western Union", "Western Cape"), unless the name is the West's own.
    r"Western(?=\s+(?!(?:Europe|European|Europeans|World|Allies|Alliance|Powers|Nations|Governments"
    r"|Leaders|Democracies|Countries|Media|Capitals|Officials|Partners|Sanctions)\b)[A-Z])",
    r"(?:[Ss]paghetti|[Ss]pace|[Cc]lassic|[Hh]ollywood|[Nn]eo-?)\s*Westerns?\b",
    r"\b[Aa]\s+Western(?=\s*[.,;:!?)\"”]|\s+(?:film|movie|starring|directed|set)\b)",
    r"Western\s+(?:film|films|movie|movies|genre|novel|novels|star|stars|actor|hero|series)\b",
    r"Western-style\b",
    r"(?:Eastern|Central\s+and\s+Eastern)\s+Europe(?:an|ans)?\b",
    r"European\s+(?:Championships?|Cup|Games|Open|Tour|Athletics|Film\s+Awards|Super\s+Cup)\b",
]

RUSSIA_EXCLUDE: list[str] = [
    r"\b[Ee]thnic\s+Russians?\b",
    r"Russian[- ](?:speaking|speakers?|language|languages|born|American|Americans)\b",
    r"\b(?:in|into|speak|speaks|speaking|spoke|spoken|learn|learning|teach|teaching|taught)"
    r"\s+Russian(?=\s*(?:[.,;:!?)]|and\b|or\b|$))",
    r"Russian\s+(?:Orthodox\s+Church|roulette|dolls?|dressing|salad|[Bb]lue)\b",
    r"\b[Ww]hite\s+Russians?\b",
]

RUSSIA: dict = {
    "name": "Russia",
    "aliases": [
        "Russia", "Russian Federation", "Russian", "Russians",
        "Moscow", "Kremlin", "Putin", "Lavrov", "Medvedev", "Shoigu", "Peskov",
    ],
    "cased_aliases": [],
    "patterns": [],
    "exclude": RUSSIA_EXCLUDE,
}

WEST: dict = {
    "name": "the West",
    "aliases": [
        "Europe", "European", "Europeans", "European Union", "European Commission",
        "EU", "NATO", "G7",
        "United States", "U.S.", "US", "USA", "America", "American", "Americans",
        "Washington", "Brussels", "White House", "Pentagon",
    ],
    "cased_aliases": ["the West", "Western", "Westerners"],
    "patterns": [],
    "exclude": WEST_EXCLUDE,
}

#: Default targets, in output order.
DEFAULT_TARGETS: list[dict] = [RUSSIA, WEST]

CHINA: dict = {
    "name": "China",
    "aliases": ["China", "Chinese", "Beijing", "PRC", "Xi Jinping", "Zhongnanhai"],
    "cased_aliases": [],
    "patterns": [],
    "exclude": [r"\b[Ww]estern\s+China\b", r"(?:South|East)\s+China\s+Sea\b",
                r"Chinese-Americans?\b"],
}

#: "Turkey" is case-aware, so the bird is not a mention.
TURKEY: dict = {
    "name": "Turkey",
    "aliases": ["Türkiye", "Turkiye", "Turkish", "Turks", "Ankara", "Erdoğan", "Erdogan"],
    "cased_aliases": ["Turkey"],
    "patterns": [],
    "exclude": [r"Turkish\s+(?:delight|coffee|bath|baths)\b", r"\b[Cc]old\s+Turkey\b"],
}

IRAN: dict = {
    "name": "Iran",
    "aliases": ["Iran", "Iranian", "Iranians", "Tehran", "Islamic Republic", "Khamenei"],
    "cased_aliases": [],
    "patterns": [],
    "exclude": [r"Iranian-Americans?\b"],
}

UKRAINE: dict = {
    "name": "Ukraine",
    "aliases": ["Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev", "Zelensky", "Zelenskyy"],
    "cased_aliases": [],
    "patterns": [],
    "exclude": [r"Ukrainian-Americans?\b", r"\b(?:in|into|speak|speaks|speaking)\s+Ukrainian"
                r"(?=\s*(?:[.,;:!?)]|and\b|or\b|$))"],
}

UNITED_STATES: dict = {
    "name": "the United States",
    "aliases": ["United States", "U.S.", "US", "USA", "America", "American", "Americans",
                "Washington", "White House", "Pentagon", "State Department"],
    "cased_aliases": [],
    "patterns": [],
    "exclude": US_EXCLUDE,
}

#: Targets known by name: a config entry that gives only ``name`` (no
#: aliases, no patterns) takes its definition from here. Annotated data for
#: other targets is matched through these definitions too.
KNOWN_TARGETS: dict[str, dict] = {
    t["name"]: t for t in (RUSSIA, WEST, CHINA, TURKEY, IRAN, UKRAINE, UNITED_STATES)
}
