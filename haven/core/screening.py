"""Personal details in free text: names, phone numbers, e-mail addresses, street addresses, dates of
birth, in English, Spanish and French. Plain Python, no Django import.

Every free-text field that can hold a person's words is screened with `screen_personal_details`
before it is saved or published (overdose notes, drug checking notes, alert drafts); the log filter
uses it too. The patterns are heuristics that lean towards asking: a false alarm costs a rewording,
a missed name can identify someone.

A `Finding` carries where the detail is and a short safe label, never the matched value: code that
logs findings cannot leak what they found. Callers that show the detail back to the person who
typed it take it from their own text with `finding.value_in(text)`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("email", "phone", "name", "address", "birth_date")
LABELS = {
    "email": "e-mail address",
    "phone": "phone number",
    "name": "name",
    "address": "street address",
    "birth_date": "date of birth",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    start: int
    end: int
    label: str  # short and safe to log ("phone number"); never the matched value

    def value_in(self, text: str) -> str:
        """The matched value, from the caller's own text (for showing it back, never for logging)."""
        return text[self.start:self.end]


# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------

# Starts only where a run of address characters starts: linear time on long runs without an "@".
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 7 to 15 digits (E.164 allows 15; shorter than 7 is a phone number nowhere) with the usual
# separators; not glued to a word, a decimal, a time or a date.
PHONE = re.compile(r"(?<!\w)(?<!\d[.,:/\-])\+?\(?\d[\d \t().\-]{5,}\d(?!\w|[.,:/\-]\d)")
NUMERIC_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$|^\d{4}\s*[-–]\s*\d{4}$")
WORD = re.compile(r"[^\W\d_][\w'’\-]*")
LETTERS = r"[^\W\d_]"

# Phrases after which a name follows, whatever its capitalisation ("my name is sam").
_NAME_IS = [
    # English
    r"my name is", r"(?:his|her|their) name (?:is|was)", r"(?:first|last|full|real) name(?: is)?\s*:?",
    r"name\s*:", r"goes by(?: the name)?",
    # Spanish
    r"me llamo", r"se llama(?:ba)?", r"(?:mi|su|tu) nombre (?:es|era)", r"nombre\s*:", r"apellido\s*:",
    # French
    r"je m['’]appelle", r"(?:il|elle|on) s['’]appel(?:le|ait)", r"(?:mon|son|ton) (?:pr[ée])?nom (?:est|était)",
    r"nom\s*:", r"pr[ée]nom\s*:",
]
# Phrases after which only a capitalised word is a name ("I am Sam", not "I am tired").
_NAME_CAPITALISED = [
    r"i am", r"i['’]m", r"this is", r"named", r"called", r"call (?:me|him|her|them)", r"ask for", r"known as",
    r"soy", r"llamad[oa]", r"conocid[oa] como", r"pregunta(?:r|d)? por",
    r"je suis", r"c['’]est", r"nommée?", r"appelée?", r"surnommée?", r"demande[rz]?",
]
NAME_IS = re.compile(r"(?<!\w)(?:" + "|".join(_NAME_IS) + r")\s*", re.IGNORECASE)
NAME_CAPITALISED = re.compile(r"(?<!\w)(?:" + "|".join(_NAME_CAPITALISED) + r")\s+", re.IGNORECASE)
NAME_WORD = re.compile(LETTERS + r"[\w'’\-]*")

# Street addresses. English: a number, the street's name, its type ("221B Baker Street", "12 elm st").
_EN_STREET_TYPES = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
                    r"terrace|crescent|close|highway|hwy|parkway|pkwy|square|sq")
EN_ADDRESS = re.compile(
    r"(?<![\w.,])(\d{1,5}[A-Za-z]?)\s+((?:" + LETTERS + r"[\w'’.\-]*\s+){1,3})(?:" + _EN_STREET_TYPES + r")\b",
    re.IGNORECASE)
# Spanish: the street's type, its name, a number ("calle Mayor 12", "Av. de América, nº 3").
_ES_STREET_TYPES = r"calle|c/|avenida|avda\.?|av\.|paseo|plaza|pza\.|carrera|camino|ronda|traves[ií]a|callej[oó]n"
ES_ADDRESS = re.compile(
    r"(?<!\w)(?:" + _ES_STREET_TYPES + r")\s*((?:" + LETTERS + r"[\w'’.\-]*\s+){0,4}?" + LETTERS
    + r"[\w'’.\-]*),?\s*(?:n[º°o]\.?\s*)?\d{1,5}(?![\d:])", re.IGNORECASE)
# French: a number, the street's type, its name ("12 rue de la Paix", "3 bis avenue Victor Hugo").
_FR_STREET_TYPES = r"rue|avenue|av\.|boulevard|bd|place|chemin|impasse|all[ée]e|quai|cours|route|square|passage"
FR_ADDRESS = re.compile(
    r"(?<![\w.,])\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:" + _FR_STREET_TYPES + r")\s+((?:" + LETTERS
    + r"[\w'’.\-]*\s*){1,4})", re.IGNORECASE)
# Words that join a street's name but do not name it.
_CONNECTORS = frozenset("de del la las los el d' du des l' of the".split())
# Words that cannot be part of a street's name: what follows a count ("5 doses on the street").
_NOT_STREET_NAMES = frozenset("""
    a an on in at from near to by down up around behind outside inside and or with for was were is are
    dose doses syringe syringes people person times time blocks block minutes minute hours hour days day
    pills pill kits kit mg ml ug mcg bis ter
    en con por para durante hace y o al cerca frente dosis jeringa jeringas personas persona veces vez
    horas hora minutos días dias pastillas
    le les un une dans avec pour pendant et ou près pres seringue seringues personnes fois heures jours
    comprimés
""".split())

# Dates of birth: a phrase that announces one, then a date in any usual form.
_MONTHS = (r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
           r"sep(?:t(?:ember)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?|"
           r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre|"
           r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre")
_MONTHS = "(?:" + _MONTHS + r")(?!\w)"
_DATE = (r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
         r"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th|er|º)?\s+(?:de\s+|of\s+)?(?:" + _MONTHS + r")(?:,?\s+(?:de\s+)?\d{4})?"
         r"|(?:" + _MONTHS + r")\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
         r"|(?:in\s+|en\s+)?(?:19|20)\d{2})")
_BIRTH = [
    r"born(?:\s+(?:on|in))?", r"d\.?o\.?b\.?\s*:?", r"date of birth\s*:?", r"birth ?day(?: is)?\s*:?",
    r"nacid[oa](?:\s+(?:el|en))?", r"fecha de nacimiento\s*:?", r"f\.\s*nac\.?\s*:?", r"(?:mi|su) cumpleaños es",
    r"née?(?:\s+(?:le|en))?", r"date de naissance\s*:?", r"(?:mon|son) anniversaire est",
]
BIRTH_DATE = re.compile(r"(?<!\w)(?:" + "|".join(_BIRTH) + r")\s*(?:el\s+|le\s+|on\s+)?(" + _DATE + r")",
                        re.IGNORECASE)
# A full date with a year so long ago that, in a note, it can only be someone's birthday.
OLD_FULL_DATE = re.compile(r"(?<![\w\-/.])(?:(\d{4})[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](\d{4}))"
                           r"(?![\w\-/.]?\d)")
BIRTH_YEARS_AGO = 12

# Capitalised words that are not names: places, services, substances and naloxone brands, days,
# months and the words that start a sentence, in English, Spanish and French. Callers add their
# own place names (an area list) with `allowed_words`.
ALLOWED_CAPITALISED = frozenset("""
    north south east west northside southside eastside westside downtown uptown midtown river riverside
    park street avenue road square station bridge market centre center hospital clinic pharmacy shelter
    emergency services department room unit ambulance paramedics police fire rescue health public
    naloxone narcan kloxxado zimhi fentanyl carfentanil xylazine tranq nitazene nitazenes heroin cocaine
    crack meth methamphetamine benzo benzos benzodiazepine xanax oxycodone oxy percocet suboxone methadone
    ketamine mdma molly alcohol opioid opioids fent dope pills pressed blue blues
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tonight morning afternoon evening night
    the a an and or but he she they them him her his their it its we our you i this that these those
    there here after before during when then while at in on of to for from with without by near outside
    inside behind called gave given found used took was were is are had has not no yes one two three
    person people someone friend neighbour neighbor staff peer outreach team van drop visit report
    call ask tell write text ring contact see meet please thanks thank
    lane drive court boulevard terrace crescent close way highway quay alley plaza corner block building
    norte sur este oeste centro parque calle avenida plaza estación estacion puente mercado hospital clínica
    clinica farmacia albergue urgencias servicios ambulancia policía policia bomberos salud
    lunes martes miércoles miercoles jueves viernes sábado sabado domingo enero febrero marzo abril mayo
    junio julio agosto septiembre octubre noviembre diciembre hoy ayer anoche mañana manana tarde noche
    el la los las un una y o pero él ella ellos ellas su sus nosotros usted este esta estos estas ahí allí
    aquí después antes durante cuando entonces mientras en de del con sin por para cerca fuera dentro
    detrás dio dado encontrado encontramos usó usaron tomó era eran es son había ha no sí uno dos tres
    persona personas alguien amigo amiga vecino vecina equipo naloxona fentanilo heroína heroina cocaína
    cocaina pastillas
    nord sud est ouest centre-ville parc rue avenue place gare pont marché marche hôpital hopital clinique
    pharmacie refuge urgences secours ambulance pompiers santé sante
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février fevrier mars avril mai juin juillet
    août aout septembre octobre novembre décembre decembre aujourd'hui hier soir matin après-midi nuit
    le la les un une et ou mais il elle ils elles lui leur leurs nous vous ce cette ces là ici après avant
    pendant quand puis alors dans sur avec sans par pour près dehors dedans derrière donné trouvé utilisé
    pris était étaient est sont avait a pas non oui deux trois quelqu'un ami amie voisin voisine équipe
    naloxone fentanyl héroïne cocaïne comprimés
""".split())


# ---------------------------------------------------------------------------------------------
# The screener
# ---------------------------------------------------------------------------------------------

def screen_personal_details(text: str, *, guess_names: bool = True, allowed_words: Iterable[str] = (),
                            kinds: Iterable[str] = KINDS, today: datetime.date | None = None) -> list[Finding]:
    """Every personal detail in `text`, in order, without overlaps.

    Names are found after the phrases that say a name follows ("my name is", "me llamo",
    "je m'appelle"). With `guess_names` (the default), capitalisation is a clue too: a capitalised
    word after a weaker phrase ("I am Sam", "soy Lucía", "c'est Marie", "called Jo"), and two or
    more capitalised words in a row, when they are not place, substance or sentence words
    (`allowed_words` adds the caller's own, such as area names). Turn it off where text names
    substances and places freely and there is no way to override (published alerts, logs).
    """
    text = text or ""
    if not text.strip():
        return []
    wanted = set(kinds)
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        if kind not in wanted or start >= end:
            return
        if any(start < other.end and other.start < end for other in found):
            return
        found.append(Finding(kind=kind, start=start, end=end, label=LABELS[kind]))

    for match in EMAIL.finditer(text):
        add("email", *match.span())
    for start, end in _birth_dates(text, today=today):
        add("birth_date", start, end)
    for start, end in _addresses(text):
        add("address", start, end)
    for match in PHONE.finditer(text):
        candidate = match.group(0).strip()
        digits = sum(character.isdigit() for character in candidate)
        if 7 <= digits <= 15 and not NUMERIC_DATE.match(candidate):
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            add("phone", start, start + len(candidate))
    allowed = ALLOWED_CAPITALISED | {word.lower() for word in allowed_words}
    for start, end in _introduced_names(text, allowed, weak_phrases=guess_names):
        add("name", start, end)
    if guess_names:
        for start, end in _capitalised_pairs(text, allowed):
            add("name", start, end)
    return sorted(found, key=lambda finding: finding.start)


def redact(text: str, findings: Iterable[Finding], marker: str | dict[str, str] = "[removed]") -> str:
    """`text` with every finding replaced by `marker` (one for all, or one per kind)."""
    out, position = [], 0
    for finding in sorted(findings, key=lambda item: item.start):
        if finding.start < position:
            continue
        out.append(text[position:finding.start])
        out.append(marker.get(finding.kind, "[removed]") if isinstance(marker, dict) else marker)
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def _is_name_word(word: str, allowed: set[str] | frozenset[str]) -> bool:
    return word[:1].isupper() and not word.isupper() and word.lower() not in allowed


def _introduced_names(text: str, allowed, *, weak_phrases: bool) -> Iterable[tuple[int, int]]:
    patterns = ((NAME_IS, False), (NAME_CAPITALISED, True)) if weak_phrases else ((NAME_IS, False),)
    for pattern, capitalised_only in patterns:
        for match in pattern.finditer(text):
            position, span = match.end(), None
            # The name: up to three words on the same line, each capitalised when the phrase is weak.
            for _number in range(3):
                word = NAME_WORD.match(text, position)
                if word is None:
                    break
                value = word.group(0)
                if capitalised_only or span is not None:
                    if not _is_name_word(value, allowed):
                        break
                elif value.lower() in allowed:
                    break
                span = (span[0] if span else word.start(), word.end())
                gap = re.match(r"[ \t]+", text[word.end():])
                if gap is None:
                    break
                position = word.end() + gap.end()
            if span:
                yield span


def _capitalised_pairs(text: str, allowed) -> Iterable[tuple[int, int]]:
    """Runs of two or more capitalised words on one line, spaces only between them."""
    run: list[re.Match] = []
    for word in [*WORD.finditer(text), None]:
        joined = word is not None and bool(run) and not text[run[-1].end():word.start()].strip(" \t") \
            and "\n" not in text[run[-1].end():word.start()]
        if word is not None and _is_name_word(word.group(), allowed) and (joined or not run):
            run.append(word)
            continue
        if len(run) >= 2:
            yield run[0].start(), run[-1].end()
        run = [word] if word is not None and _is_name_word(word.group(), allowed) else []


def _street_name_ok(words: list[str], *, capitalised: bool) -> bool:
    named = [word for word in words if word.lower() not in _CONNECTORS]
    if not named or any(word.lower().rstrip(".") in _NOT_STREET_NAMES for word in named):
        return False
    return not capitalised or named[0][:1].isupper()


def _addresses(text: str) -> Iterable[tuple[int, int]]:
    for match in EN_ADDRESS.finditer(text):
        if _street_name_ok(match.group(2).split(), capitalised=False):
            yield match.span()
    for match in ES_ADDRESS.finditer(text):
        if _street_name_ok(match.group(1).split(), capitalised=True):
            yield match.span()
    for match in FR_ADDRESS.finditer(text):
        words = match.group(1).split()
        # The name ends at the first word that cannot be part of it ("12 rue Victor Hugo hier soir").
        kept: list[str] = []
        for word in (word.rstrip(".,;:") for word in words):
            if word.lower() in _NOT_STREET_NAMES or (
                    kept and word.lower() not in _CONNECTORS and not word[:1].isupper()):
                break
            kept.append(word)
        if _street_name_ok(kept, capitalised=True):
            yield match.start(), _end_of_words(text, match.start(1), kept)


def _end_of_words(text: str, start: int, words: list[str]) -> int:
    position = start
    for word in words:
        position = text.index(word, position) + len(word)
    return position


def _birth_dates(text: str, *, today: datetime.date | None) -> Iterable[tuple[int, int]]:
    for match in BIRTH_DATE.finditer(text):
        yield match.span()
    this_year = (today or datetime.date.today()).year
    for match in OLD_FULL_DATE.finditer(text):
        year = int(match.group(1) or match.group(2))
        if 1900 <= year <= this_year - BIRTH_YEARS_AGO:
            yield match.span()
