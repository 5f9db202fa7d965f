"""The words people use: reagent names and colour words, and how observations are parsed.

A colour is kept as a canonical phrase ("dark purple", "blue-green", "greenish blue", "#5a2d82")
or NO_REACTION, and turned into CIELAB by ``colour_lab``.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .colour import Lab, hex_to_lab, hex_to_rgb, is_hex, lab_to_hex, rgb_to_hex

NO_REACTION = "no reaction"

# (key, label, other spellings). The order is the order kits and charts usually list them:
# the common screening reagents first, then the confirmatory and single-purpose ones.
REAGENTS = (
    ("marquis", "Marquis", ("marquis reagent",)),
    ("mecke", "Mecke", ()),
    ("mandelin", "Mandelin", ()),
    ("simon", "Simon's", ("simons", "simon s", "simon's", "simón")),
    ("froehde", "Froehde", ("frohde", "fröhde", "froede")),
    ("liebermann", "Liebermann", ("lieberman", "liebermanns")),
    ("ehrlich", "Ehrlich", ("ehrlichs",)),
    ("hofmann", "Hofmann", ("hoffman", "hoffmann", "hofman")),
    ("folin", "Folin", ("folins",)),
    ("robadope", "Robadope", ("robodope",)),
    ("gallic_acid", "Gallic acid", ("gallic", "gallicacid", "gallic acid", "ácido gálico", "acide gallique")),
    ("zimmermann", "Zimmermann", ("zimmerman",)),
    ("morris", "Morris", ()),
    ("scott", "Scott", ("scotts", "scott s", "cobalt thiocyanate", "tiocianato de cobalto",
                        "thiocyanate de cobalt")),
    ("4_ap", "4-AP (cannabis)", ("4ap", "4 ap", "cannabis (4-ap)", "4-aminophenol", "4 aminophenol", "cannabis", "cannabis 4 ap",
                                  "4-aminofenol")),
)
# Spanish and French speakers name a reagent the same way, after a word for "reagent" or "test":
# "reactivo de Marquis", "prueba Mecke", "réactif de Mandelin" (the prefix is dropped, accents ignored).
REAGENT_KEYS = tuple(key for key, _label, _aliases in REAGENTS)
REAGENT_LABELS = {key: label for key, label, _aliases in REAGENTS}

# Representative colours of what is seen in a white spot plate or a clear vial, chosen for Haven
# from the printed swatches of reagent kit charts (see data/reactions.yaml for the chart sources).
BASIC_COLOURS = {
    "white": "#f2f2ee",
    "yellow": "#f2cf1d",
    "orange": "#ee8421",
    "red": "#c42828",
    "pink": "#ef8db4",
    "purple": "#5e2a84",
    "violet": "#8b5cc6",
    "blue": "#1f5bb6",
    "green": "#2e8a3c",
    "brown": "#7a4a20",
    "grey": "#8a8a8a",
    "black": "#1b1b1b",
}
_PALETTE_FILE = Path(__file__).with_name("data") / "colour_words.json"
PALETTE_WORDS: dict = (json.loads(_PALETTE_FILE.read_text(encoding="utf-8"))["words"]
                       if _PALETTE_FILE.exists() else {})
BASIC_COLOURS.update({word: hex_code for word, hex_code in PALETTE_WORDS.items() if word in BASIC_COLOURS})
_COLOUR_SYNONYMS = {
    "gray": "grey", "magenta": "pink", "maroon": "red", "cherry": "red", "crimson": "red", "amber": "orange",
    "tan": "brown", "teal": "blue-green", "turquoise": "blue-green", "olive": "yellow-green", "lilac": "violet",
    "indigo": "violet", "navy": "blue", "colourless": "", "ochre": "yellow-brown", "wine": "red", "bordeaux": "red",
    "lime": "yellow-green", "rusty": "orange-brown", "rust": "orange-brown", "salmon": "pink", "peach": "orange",
    "cream": "white", "mud": "brown", "blood": "red", "sea": "", "yellowy": "yellowish", "orangy": "orangish",
}
_ISH = {
    "yellowish": "yellow", "orangish": "orange", "orangeish": "orange", "reddish": "red", "pinkish": "pink",
    "purplish": "purple", "violetish": "violet", "bluish": "blue", "blueish": "blue", "greenish": "green",
    "brownish": "brown", "greyish": "grey", "grayish": "grey", "blackish": "black", "whitish": "white",
    "purpleish": "purple", "yellowy": "yellow", "orangy": "orange",
}
_ISH_WORD = {
    "yellow": "yellowish", "orange": "orangish", "red": "reddish", "pink": "pinkish", "purple": "purplish",
    "violet": "violetish", "blue": "bluish", "green": "greenish", "brown": "brownish", "grey": "greyish",
    "black": "blackish", "white": "whitish",
}
_LIGHTER = {"light", "pale", "faint", "slight", "lighter", "weak"}
_DARKER = {"dark", "deep", "darker"}
_IGNORED = {"very", "bright", "vivid", "intense", "strong", "a", "the", "colour", "color", "quickly", "slowly",
            "then", "fast", "slow", "instantly", "immediately", "eventually", "precipitate", "solution",
            # how people qualify what they saw: timing, texture and extent, not the colour itself
            "instant", "short", "long", "brief", "spots", "specks", "specs", "ring", "streaks", "edges", "foaming",
            "fizzes", "fizzing", "bubbling", "with", "and", "dull", "brilliant", "neon", "moderate", "hue", "shade",
            "of", "tint", "tints", "opaque", "milky", "after", "minutes", "min", "sec", "quick", "over", "turns",
            "around", "precipitation", "precipitates", "particles", "sample", "full", "just", "possible"}
# Colour words as Spanish (es) and French (fr) speakers write them, read as Haven's English words (accents
# ignored; feminine and plural forms listed). Words only: what a colour looks like stays Haven's swatches.
_FOREIGN_COLOUR_WORDS = {
    # es
    "blanco": "white", "blanca": "white", "amarillo": "yellow", "amarilla": "yellow", "naranja": "orange",
    "anaranjado": "orange", "anaranjada": "orange", "rojo": "red", "roja": "red", "rosa": "pink", "rosado": "pink",
    "rosada": "pink", "morado": "purple", "morada": "purple", "purpura": "purple", "violeta": "violet",
    "azul": "blue", "verde": "green", "marron": "brown", "cafe": "brown", "gris": "grey", "negro": "black",
    "negra": "black", "claro": "light", "clara": "light", "oscuro": "dark", "oscura": "dark",
    "amarillento": "yellowish", "rojizo": "reddish", "verdoso": "greenish", "azulado": "bluish",
    "azulada": "bluish", "negruzco": "blackish", "pardo": "brown", "muy": "very", "fuerte": "strong",
    # fr
    "blanc": "white", "blanche": "white", "jaune": "yellow", "rouge": "red", "rose": "pink", "pourpre": "purple",
    "bleu": "blue", "bleue": "blue", "vert": "green", "verte": "green", "brun": "brown", "brune": "brown",
    "grise": "grey", "noir": "black", "noire": "black", "clair": "light", "claire": "light", "fonce": "dark",
    "foncee": "dark", "pale": "pale", "jaunatre": "yellowish", "rougeatre": "reddish", "verdatre": "greenish",
    "bleuatre": "bluish", "noiratre": "blackish", "tres": "very",
}
_NO_REACTION_WORDS = {
    "no reaction", "none", "no change", "no colour change", "no color change", "nothing", "clear", "nr",
    "no reaction clear", "colourless", "colorless", "no colour", "no color", "unchanged", "-",
    # es, fr (accents dropped)
    "sin reaccion", "no reacciona", "ninguna reaccion", "sin cambio", "sin color", "nada", "transparente",
    "incoloro", "incolora", "pas de reaction", "aucune reaction", "aucun changement", "rien", "incolore",
}
_STEP_SEPARATORS = re.compile(r"\s*(?:,|;|->|→|=>|>|\bthen\b|\bto\b|\bturning\b|\bbecoming\b|\bfading to\b"
                              r"|\bluego\b|\bdespu[eé]s\b|\bpuis\b|\bensuite\b)\s*", re.IGNORECASE)
MAX_SEQUENCE = 6
_KNOWN_COLOUR_WORDS = {*BASIC_COLOURS, *_COLOUR_SYNONYMS, *_ISH, "light", "pale", "dark", "deep", "gray"}
LIGHTNESS_STEP = 18.0  # CIELAB L* units for "light"/"dark"


class UnknownReagentError(ValueError):
    """A reagent name Haven does not know (or one given twice)."""


class UnknownColourError(ValueError):
    """A colour word or code Haven cannot read; ``reagent`` is the reagent key when known."""

    def __init__(self, message: str, reagent: str | None = None):
        super().__init__(message)
        self.reagent = reagent


def _squash(text: str) -> str:
    text = _fold_accents(text.lower()).replace("’", "'")
    text = re.sub(r"['`]", " ", text)
    text = re.sub(r"[\s_\-]+", " ", text).strip()
    text = re.sub(r"^(?:reactivo|reactif|prueba|test|kit)(?: (?:de|du|d))? (?=\S)", "", text)
    return re.sub(r"\s+(reagent|test|kit)$", "", text)


def _fold_accents(text: str) -> str:
    """"fröhde", "ácido gálico", "foncé" -> "frohde", "acido galico", "fonce"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_REAGENT_LOOKUP: dict[str, str] = {}
for _key, _label, _aliases in REAGENTS:
    for _name in (_key, _label, *_aliases):
        _REAGENT_LOOKUP[_squash(_name)] = _key
        _REAGENT_LOOKUP[_squash(_name).replace(" ", "")] = _key


def closest_reagent(name: str) -> str | None:
    close = difflib.get_close_matches(_squash(name), list(_REAGENT_LOOKUP), n=1, cutoff=0.6)
    return REAGENT_LABELS[_REAGENT_LOOKUP[close[0]]] if close else None


def reagent_key(name: str) -> str:
    """The key of a reagent from any common spelling ("Simon's", "simons", "gallic acid"...)."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownReagentError(f"a reagent name is needed (got {name!r})")
    squashed = _squash(name)
    for candidate in (squashed, squashed.replace(" ", ""), squashed.rstrip("s"), squashed.replace(" ", "").rstrip("s")):
        if candidate in _REAGENT_LOOKUP:
            return _REAGENT_LOOKUP[candidate]
    known = ", ".join(REAGENT_KEYS)
    close = closest_reagent(name)
    hint = f" Did you mean {close}?" if close else ""
    raise UnknownReagentError(f"unknown reagent {name!r}.{hint} Known reagents: {known}")


def reagent_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _aliases in REAGENTS]


def colour_choices() -> list[tuple[str, str, str]]:
    """(word, label, hex) for the basic colour words, "no reaction" first."""
    choices = [(NO_REACTION, "No reaction", "")]
    choices += [(word, word.capitalize(), hex_code) for word, hex_code in BASIC_COLOURS.items()]
    return choices


def normalise_colour(text: str) -> str:
    """The canonical phrase for one colour: NO_REACTION, "#rrggbb", or words like "dark purple"."""
    if not isinstance(text, str):
        raise UnknownColourError(f"a colour must be text (got {text!r})")
    raw = text.strip()
    if is_hex(raw):
        return rgb_to_hex(hex_to_rgb(raw))
    if raw.startswith("#"):
        raise UnknownColourError(f"{text!r} is not a colour code: write six hex digits 0-9 and a-f, like #5a2d82")
    phrase = re.sub(r"[\s_\-/]+", " ", _fold_accents(raw.lower()).replace("colour", "").replace("color", "")).strip(" .")
    if not phrase and raw:
        raise UnknownColourError(f"unknown colour {text!r}")
    if (phrase in _NO_REACTION_WORDS or raw.lower() in _NO_REACTION_WORDS or not phrase
            or re.match(r"^(no|not|sin|pas|aucun|aucune)\b", phrase) or phrase.endswith("no change")):
        # "no reaction", "no blue colour change", "not reacting"
        return NO_REACTION
    lightness = 0
    ish: list[str] = []
    hues: list[str] = []
    for word in phrase.split():
        word = _FOREIGN_COLOUR_WORDS.get(word, word)
        word = _COLOUR_SYNONYMS.get(word, word)
        if not word:
            continue
        if word in _LIGHTER:
            lightness += 1
        elif word in _DARKER:
            lightness -= 1
        elif word in _IGNORED:
            continue
        elif word in _ISH:
            ish.append(_ISH[word])
        elif word in BASIC_COLOURS:
            hues.append(word)
        elif "-" in word and all(part in BASIC_COLOURS for part in word.split("-")):
            hues.extend(word.split("-"))
        else:
            close = difflib.get_close_matches(word, list(_KNOWN_COLOUR_WORDS), n=1, cutoff=0.7)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownColourError(
                f"unknown colour {text!r}: {word!r} is not a colour word Haven knows{hint}. Use colour words "
                f"({', '.join(BASIC_COLOURS)}, no reaction), optionally with light/dark, or a hex code like #5a2d82"
            )
    hues = list(dict.fromkeys(hues))  # "cherry red" is red, not red-red
    ish = [word for word in dict.fromkeys(ish) if word not in hues]
    if not hues and ish:
        hues, ish = [ish[-1]], ish[:-1]
    if not hues:
        raise UnknownColourError(f"unknown colour {text!r}: no colour word in it")
    if len(hues) + len(ish) > 3:
        raise UnknownColourError(f"unknown colour {text!r}: name at most two colours blended")
    modifier = {1: "light ", 2: "very light ", -1: "dark ", -2: "very dark "}.get(max(-2, min(2, lightness)), "")
    body = "-".join(hues)
    if ish:
        body = " ".join(_ISH_WORD[word] for word in ish) + " " + body
    return modifier + body


def normalise_step(text: str) -> str:
    """One step of a sequence: a colour, or alternatives ("purple or black", "purple/brown")."""
    if not isinstance(text, str):
        raise UnknownColourError(f"a colour must be text (got {text!r})")
    parts = [part for part in re.split(r"\s+(?:or|o|ou)\s+|\s*/\s*|\s*\|\s*", text.strip()) if part.strip()]
    if len(parts) <= 1 or is_hex(text.strip()):
        return normalise_colour(text)
    alternatives = list(dict.fromkeys(normalise_colour(part) for part in parts))
    reacted = [colour for colour in alternatives if colour != NO_REACTION]
    if not reacted:
        return NO_REACTION
    # "no change or yellowish": unsure whether it reacted at all; "no reaction" first.
    return " or ".join(([NO_REACTION] if len(reacted) < len(alternatives) else []) + reacted)


def step_alternatives(step: str) -> tuple[str, ...]:
    return tuple(step.split(" or "))


def parse_sequence(text) -> tuple[str, ...]:
    """A colour sequence from "purple, black", "purple -> black" or a list of colours.

    Each step may give alternatives ("purple or black", "purple/brown"): the person was unsure."""
    if isinstance(text, str):
        parts = []
        for part in _STEP_SEPARATORS.split(text):
            if not part or not part.strip():
                continue
            words = part.strip().lower().split("-")
            # "orange-red-brown" (three or more joined colours) is how charts write a sequence.
            if len(words) >= 3 and all(_COLOUR_SYNONYMS.get(word, word) in BASIC_COLOURS for word in words):
                parts.extend(words)
            else:
                parts.append(part)
    elif isinstance(text, (list, tuple)):
        parts = list(text)
        if any(not isinstance(part, str) for part in parts):
            raise UnknownColourError(f"colours must be text (got {text!r})")
    else:
        raise UnknownColourError(f"a colour or a list of colours is needed (got {text!r})")
    colours = tuple(normalise_step(part) for part in parts)
    if not colours:
        raise UnknownColourError(f"no colour given (got {text!r})")
    if len(colours) > MAX_SEQUENCE:
        raise UnknownColourError(f"at most {MAX_SEQUENCE} colours one after another, first to last (got {len(colours)})")
    reacted = tuple(colour for colour in colours if colour != NO_REACTION)
    if len(reacted) > 1:
        # Only a single step can be "no reaction or <colour>"; in a sequence the colour was seen.
        reacted = tuple(colour.removeprefix(NO_REACTION + " or ") for colour in reacted)
    # "clear, then yellow" is a slow reaction, not no reaction.
    return reacted or (NO_REACTION,)


def parse_observation(reagent: str, text) -> tuple[str, tuple[str, ...]]:
    """(reagent key, colour sequence); a colour error names the reagent too (``error.reagent``)."""
    key = reagent_key(reagent)
    try:
        return key, parse_sequence(text)
    except UnknownColourError as error:
        raise UnknownColourError(f"{key}: {error}", reagent=key) from None


@lru_cache(maxsize=4096)
def colour_lab(phrase: str) -> Lab:
    """CIELAB of a canonical colour phrase (as returned by ``normalise_colour``)."""
    if phrase == NO_REACTION:
        raise UnknownColourError("'no reaction' has no colour")
    if phrase.startswith("#"):
        return hex_to_lab(phrase)
    if phrase in PALETTE_WORDS:
        return hex_to_lab(PALETTE_WORDS[phrase])
    words = phrase.split()
    lightness = 0.0
    while words and words[0] in ("very", "light", "dark"):
        word = words.pop(0)
        if word == "very":
            lightness += 0.5 if words and words[0] == "light" else -0.5
        else:
            lightness += 1 if word == "light" else -1
    parts: list[tuple[Lab, float]] = []
    for word in words:
        if word in _ISH:
            parts.append((hex_to_lab(BASIC_COLOURS[_ISH[word]]), 0.5))
        else:
            for hue in word.split("-"):
                parts.append((hex_to_lab(BASIC_COLOURS[hue]), 1.0))
    lab = _blend(parts)
    light = max(0.0, min(100.0, lab[0] + LIGHTNESS_STEP * lightness))
    # Lighter shades also look less saturated on a white plate; darker ones keep their chroma.
    chroma_scale = 0.75 if lightness > 0 else 1.0
    return (light, lab[1] * chroma_scale, lab[2] * chroma_scale)


def _blend(parts: list[tuple[Lab, float]]) -> Lab:
    """Blend colours in LCh: lightness and chroma averaged, hue averaged on the circle.

    Averaging a* and b* directly would turn "blue-green" into a dull grey-teal; people who say
    blue-green mean a saturated teal. Greys, black and white add lightness and lower chroma but
    have no hue to pull.
    """
    total = sum(weight for _lab, weight in parts)
    lightness = sum(lab[0] * weight for lab, weight in parts) / total
    chroma = sum(math.hypot(lab[1], lab[2]) * weight for lab, weight in parts) / total
    x = sum(lab[1] / math.hypot(lab[1], lab[2]) * weight for lab, weight in parts if math.hypot(lab[1], lab[2]) > 8)
    y = sum(lab[2] / math.hypot(lab[1], lab[2]) * weight for lab, weight in parts if math.hypot(lab[1], lab[2]) > 8)
    if math.hypot(x, y) < 1e-9:
        return (lightness, 0.0, 0.0)
    hue = math.atan2(y, x)
    return (lightness, chroma * math.cos(hue), chroma * math.sin(hue))


BLEND_PART_COST = 8.0  # Delta E 00 added when "blue-green" is read as just "blue"
ISH_PART_COST = 14.0  # ... and when "greenish blue" is read as just "green"
SHADE_COST = 6.0  # ... and when "dark green" is read as just "green"


@lru_cache(maxsize=4096)
def colour_readings(phrase: str) -> tuple[tuple[Lab, float], ...]:
    """Ways to read a colour phrase, each a CIELAB colour and a cost in Delta E 00.

    A blend is read as itself at no cost and as each of its colours at a small cost: someone who
    says "blue-green" saw something another person may well call blue.
    """
    readings = [(colour_lab(phrase), 0.0)]
    if phrase.startswith("#") or phrase == NO_REACTION:
        return tuple(readings)
    words = phrase.split()
    modifiers = [word for word in words if word in ("very", "light", "dark")]
    colours = [word for word in words if word not in ("very", "light", "dark")]
    if modifiers:
        # "dark green" is often just what another person calls green.
        readings.append((colour_lab(" ".join(colours)), SHADE_COST))
    prefix = " ".join(modifiers) + " " if modifiers else ""
    for word in colours:
        if word in _ISH:
            readings.append((colour_lab(prefix + _ISH[word]), ISH_PART_COST))
        elif "-" in word:
            readings += [(colour_lab(prefix + hue), BLEND_PART_COST) for hue in word.split("-")]
    return tuple(readings)


def colour_hex(phrase: str) -> str:
    return "" if phrase == NO_REACTION else lab_to_hex(colour_lab(phrase))
