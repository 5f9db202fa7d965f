"""The participant code recipe: plain Python, no Django."""

import pytest

from haven.participants.codes import CodeError, code_from_answers, normalise, parse_recipe, validate_code

DEFAULT = "mother_first_name:2:letters,birth_month:2:digits,birth_year:2:digits,birth_city:1:letters"


@pytest.fixture
def recipe():
    return parse_recipe(DEFAULT)


def test_the_default_recipe_has_four_parts_and_seven_characters(recipe):
    assert [part.name for part in recipe.parts] == ["mother_first_name", "birth_month", "birth_year", "birth_city"]
    assert recipe.length == 7
    assert recipe.describe() == "2 letters, 2 digits, 2 digits, 1 letter"
    assert recipe.example() == "AB0385C"


@pytest.mark.parametrize("text, problem", [
    ("", "empty"),
    ("mother:2", "PART:LENGTH"),
    ("mother:two:letters", "whole number"),
    ("mother:0:letters", "between 1 and"),
    ("mother:2:words", "'letters' or 'digits'"),
    ("mother:2:letters,mother:1:letters", "twice"),
    ("moth er:2:letters", "name"),
])
def test_a_bad_recipe_is_refused_with_a_clear_message(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_recipe(text)


@pytest.mark.parametrize("typed, expected", [
    ("Mª José", "MAJOSE"),
    ("ab 03 85 c", "AB0385C"),
    ("Ab-0385-ç", "AB0385C"),
    ("  é\tá0385ñ ", "EA0385N"),
    ("ÀB0385C", "AB0385C"),
    (None, ""),
])
def test_normalising_ignores_accents_spaces_punctuation_and_case(typed, expected):
    assert normalise(typed) == expected


def test_a_code_typed_differently_validates_to_the_same_code(recipe):
    assert validate_code(recipe, "ab 03 85 c") == validate_code(recipe, "AB0385C") == "AB0385C"


def test_a_wrong_length_says_how_the_code_is_made(recipe):
    with pytest.raises(CodeError) as short:
        validate_code(recipe, "AB038")
    with pytest.raises(CodeError) as long:
        validate_code(recipe, "AB0385CD")
    assert short.value.reason == "too_short"
    assert long.value.reason == "too_long"
    assert "The code should be 2 letters, 2 digits, 2 digits, 1 letter, like AB0385C" in str(short.value)


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_an_impossible_birth_month_is_refused(recipe, month):
    with pytest.raises(CodeError, match="01 to 12") as error:
        validate_code(recipe, f"AB{month}85C")
    assert error.value.reason == "out_of_range"


def test_a_digit_where_a_letter_belongs_is_named(recipe):
    with pytest.raises(CodeError) as error:
        validate_code(recipe, "A10385C")
    assert error.value.reason == "letter_expected"
    assert error.value.params["position"] == 2


def test_a_letter_where_a_digit_belongs_is_named(recipe):
    with pytest.raises(CodeError) as error:
        validate_code(recipe, "ABO385C")
    assert error.value.reason == "digit_expected"
    assert error.value.params["part"] == "birth_month"


def test_a_code_being_typed_is_only_too_short_while_it_still_fits(recipe):
    with pytest.raises(CodeError) as partial:
        validate_code(recipe, "AB0")
    with pytest.raises(CodeError) as wrong:
        validate_code(recipe, "A1")
    assert partial.value.reason == "too_short"
    assert wrong.value.reason == "letter_expected"


def test_an_empty_code_is_refused(recipe):
    with pytest.raises(CodeError) as error:
        validate_code(recipe, " - ")
    assert error.value.reason == "empty"


def test_the_code_is_built_from_answers(recipe):
    answers = {"mother_first_name": "Ángela", "birth_month": 3, "birth_year": 1985, "birth_city": "çali"}
    assert code_from_answers(recipe, answers) == "AN0385C"


def test_answers_as_text_are_padded_and_trimmed(recipe):
    answers = {"mother_first_name": "Mª José", "birth_month": "3", "birth_year": "85", "birth_city": "Oslo"}
    assert code_from_answers(recipe, answers) == "MA0385O"


def test_an_answer_that_is_too_short_or_missing_is_refused(recipe):
    with pytest.raises(CodeError) as short:
        code_from_answers(recipe, {"mother_first_name": "J", "birth_month": 3, "birth_year": 85, "birth_city": "X"})
    with pytest.raises(CodeError) as missing:
        code_from_answers(recipe, {"mother_first_name": "Jo", "birth_month": 3, "birth_year": 85})
    assert short.value.reason == "answer_short" and short.value.params["part"] == "mother_first_name"
    assert missing.value.reason == "answer_missing" and missing.value.params["part"] == "birth_city"


def test_a_month_answer_out_of_range_is_refused(recipe):
    with pytest.raises(CodeError, match="01 to 12"):
        code_from_answers(recipe, {"mother_first_name": "Jo", "birth_month": 14, "birth_year": 85, "birth_city": "X"})


def test_a_custom_recipe_makes_its_own_example():
    recipe = parse_recipe("first_name:3:letters,birth_day:2:digits,birth_year:4:digits")
    assert recipe.example() == "ABC141234"
    assert validate_code(recipe, "abc 14 1985") == "ABC141985"
    with pytest.raises(CodeError, match="01 to 31"):
        validate_code(recipe, "ABC321985")


def test_the_codes_module_imports_no_django():
    import ast
    from pathlib import Path

    import haven.participants.codes as module

    tree = ast.parse(Path(module.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.startswith(("django", "haven")) for name in imported)


def test_the_command_line_checks_a_code(capsys):
    from haven.participants.codes import main

    assert main([DEFAULT, "ab 03 85 c"]) == 0
    assert capsys.readouterr().out.strip() == "AB0385C"
    assert main([DEFAULT, "AB1385C"]) == 1


def test_a_bad_recipe_in_the_settings_fails_the_deployment_check(settings):
    from haven.participants.checks import check_code_recipe

    settings.HAVEN_PARTICIPANT_CODE_RECIPE = "mother:2:words"
    assert [error.id for error in check_code_recipe()] == ["haven.E101"]
    settings.HAVEN_PARTICIPANT_CODE_RECIPE = DEFAULT
    assert check_code_recipe() == []
