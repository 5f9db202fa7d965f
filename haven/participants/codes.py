"""The participant code recipe: a code a person rebuilds from things they remember.

Plain Python with no Django import, so the recipe can be tested and tried from the command line:

    python -m haven.participants.codes "mother_first_name:2:letters,birth_month:2:digits" "jo 03"

A recipe is a comma-separated list of PART:LENGTH:letters|digits, in the order the parts appear in
the code. The default, `mother_first_name:2:letters,birth_month:2:digits,birth_year:2:digits,
birth_city:1:letters`, makes codes like AB0385C.

Codes are normalised before anything else (accents, case, spaces and punctuation do not matter),
so "ab 03 85 c", "AB-0385-C" and "Ab0385ç" are the same code.
"""

from __future__ import annotations

import string
import sys
import unicodedata
from dataclasses import dataclass

LETTERS = "letters"
DIGITS = "digits"
KINDS = (LETTERS, DIGITS)
ASCII_DIGITS = frozenset(string.digits)
MAX_PART_LENGTH = 20

# Parts that hold a number with a known range, recognised by a word in the part's name.
RANGES = {"month": (1, 12), "day": (1, 31)}
# Example values for the recipe's example code, so the default recipe's example reads AB0385C.
EXAMPLE_DIGITS = {"month": "03", "year": "85", "day": "14"}


class CodeError(ValueError):
    """A code (or an answer) does not fit the recipe.

    `reason` names the problem for code that wants to word it differently (a translated UI);
    `params` holds what the message needs; str(error) is a plain English sentence.
    """

    def __init__(self, reason: str, message: str, **params):
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Part:
    name: str
    length: int
    kind: str

    @property
    def range(self) -> tuple[int, int] | None:
        if self.kind != DIGITS or self.length != 2:
            return None
        for word, bounds in RANGES.items():
            if word in self.name:
                return bounds
        return None

    def describe(self) -> str:
        unit = ("letter" if self.kind == LETTERS else "digit") + ("" if self.length == 1 else "s")
        return f"{self.length} {unit}"


@dataclass(frozen=True)
class Recipe:
    parts: tuple[Part, ...]

    @property
    def length(self) -> int:
        return sum(part.length for part in self.parts)

    def describe(self) -> str:
        """'2 letters, 2 digits, 2 digits, 1 letter'."""
        return ", ".join(part.describe() for part in self.parts)

    def example(self) -> str:
        """A code of the right shape: 'AB0385C' for the default recipe."""
        letters = iter(string.ascii_uppercase * 4)
        pieces = []
        for part in self.parts:
            if part.kind == LETTERS:
                pieces.append("".join(next(letters) for _ in range(part.length)))
            else:
                sample = next((value for word, value in EXAMPLE_DIGITS.items() if word in part.name), "")
                if len(sample) != part.length:
                    sample = ("1234567890" * 2)[: part.length]
                pieces.append(sample)
        return "".join(pieces)

    def positions(self):
        """(part, index of its first character in the code) for each part."""
        start = 0
        for part in self.parts:
            yield part, start
            start += part.length


def parse_recipe(text: str) -> Recipe:
    """Read 'PART:LENGTH:letters|digits,...'; a ValueError says what is wrong with it."""
    if not text or not text.strip():
        raise ValueError("The participant code recipe is empty: give at least one PART:LENGTH:letters|digits.")
    parts = []
    for number, chunk in enumerate(text.split(","), start=1):
        pieces = [piece.strip() for piece in chunk.split(":")]
        if len(pieces) != 3:
            raise ValueError(f"Part {number} of the recipe ({chunk.strip()!r}) should be PART:LENGTH:letters|digits.")
        name, length_text, kind = pieces
        if not name or not all(character.isalnum() or character == "_" for character in name):
            raise ValueError(f"Part {number} of the recipe needs a name made of letters, digits and _.")
        try:
            length = int(length_text)
        except ValueError:
            raise ValueError(f"The length of part {name!r} should be a whole number, not {length_text!r}.") from None
        if not 1 <= length <= MAX_PART_LENGTH:
            raise ValueError(f"The length of part {name!r} should be between 1 and {MAX_PART_LENGTH}.")
        if kind.lower() not in KINDS:
            raise ValueError(f"Part {name!r} should be 'letters' or 'digits', not {kind!r}.")
        if any(part.name == name for part in parts):
            raise ValueError(f"Part {name!r} appears twice in the recipe.")
        parts.append(Part(name=name, length=length, kind=kind.lower()))
    return Recipe(parts=tuple(parts))


def normalise(text) -> str:
    """Uppercase letters and digits only, accents stripped: 'Mª José' -> 'MAJOSE'."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    kept = "".join(character for character in decomposed if not unicodedata.combining(character))
    return "".join(character for character in kept.upper() if character.isalnum())


def _shape_sentence(recipe: Recipe) -> str:
    return f"The code should be {recipe.describe()}, like {recipe.example()}."


def _check_characters(recipe: Recipe, code: str) -> None:
    for part, start in recipe.positions():
        chunk = code[start:start + part.length]
        for offset, character in enumerate(chunk):
            position = start + offset + 1
            if part.kind == LETTERS and not character.isalpha():
                raise CodeError("letter_expected", f"Character {position} ({character}) should be a letter. "
                                + _shape_sentence(recipe), position=position, part=part.name)
            if part.kind == DIGITS and character not in ASCII_DIGITS:
                raise CodeError("digit_expected", f"Character {position} ({character}) should be a digit. "
                                + _shape_sentence(recipe), position=position, part=part.name)
        bounds = part.range
        if bounds and len(chunk) == part.length and not bounds[0] <= int(chunk) <= bounds[1]:
            low, high = (str(bound).rjust(part.length, "0") for bound in bounds)
            raise CodeError("out_of_range", f"{chunk} is not a possible {part.name.replace('_', ' ')}: "
                            f"it should be {low} to {high}.", part=part.name, value=chunk, low=low, high=high)


def validate_code(recipe: Recipe, text) -> str:
    """The normalised code, or CodeError saying in plain words what does not fit.

    Characters are checked before the length, so a code being typed raises 'too_short' only while
    what was typed so far still fits (a lookup box can say "keep typing" instead of "wrong").
    """
    code = normalise(text)
    if not code:
        raise CodeError("empty", "Type a code. " + _shape_sentence(recipe), expected=recipe.length)
    _check_characters(recipe, code)
    if len(code) < recipe.length:
        raise CodeError("too_short", f"This code has {len(code)} characters, {recipe.length - len(code)} too few. "
                        + _shape_sentence(recipe), given=len(code), expected=recipe.length)
    if len(code) > recipe.length:
        raise CodeError("too_long", f"This code has {len(code)} characters, {len(code) - recipe.length} too many. "
                        + _shape_sentence(recipe), given=len(code), expected=recipe.length)
    return code


def code_from_answers(recipe: Recipe, answers: dict) -> str:
    """Build the code from the answers to the recipe's questions (one answer per part name).

    Names give their first letters; numbers are zero-padded and keep their last digits, so
    month 3 gives 03 and year 1985 gives 85.
    """
    pieces = []
    for part in recipe.parts:
        answer = answers.get(part.name)
        if answer is None or normalise(answer) == "":
            raise CodeError("answer_missing", f"Answer {part.name.replace('_', ' ')}.", part=part.name)
        if part.kind == LETTERS:
            letters = "".join(character for character in normalise(answer) if character.isalpha())
            if len(letters) < part.length:
                raise CodeError("answer_short", f"{part.name.replace('_', ' ').capitalize()} needs at least "
                                f"{part.describe()}.", part=part.name, length=part.length)
            pieces.append(letters[: part.length])
        else:
            digits = normalise(answer)
            if not all(character in ASCII_DIGITS for character in digits):
                raise CodeError("answer_not_a_number", f"{part.name.replace('_', ' ').capitalize()} should be "
                                "a number.", part=part.name)
            pieces.append(digits[-part.length:].rjust(part.length, "0"))
    return validate_code(recipe, "".join(pieces))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m haven.participants.codes RECIPE CODE", file=sys.stderr)
        return 2
    try:
        recipe = parse_recipe(argv[0])
        print(validate_code(recipe, argv[1]))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
