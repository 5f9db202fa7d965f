"""Class words, plurals and slang; typos; more than two substances; too few and too many."""

import json

import pytest
from ninja.testing import TestClient

from haven.education import interactions
from haven.education.api import router
from haven.education.cli import main

checker = interactions.default_checker()


@pytest.mark.parametrize(
    "word, means",
    [
        ("benzos", "class:benzodiazepine"),
        ("Benzodiazepines", "class:benzodiazepine"),
        ("opioids", "class:opioid"),
        ("opiates", "class:opioid"),
        ("uppers", "class:stimulant"),
        ("downers", "class:depressant"),
        ("psychedelics", "class:psychedelic"),
        ("dissociatives", "class:dissociative"),
        ("SSRIs", "ssris"),
        ("MAOIs", "maois"),
        ("GHB/GBL", "class:ghb"),
        ("nitrous", "nitrous-oxide"),
        ("shrooms", "psilocybin"),
        ("Xanax", "alprazolam"),
        ("tranq", "xylazine"),
        ("angel dust", "class:pcp"),
        ("benadryl", "class:diphenhydramine"),
        ("NBOMes", "class:nbome"),
        ("25I-NBOMe", "class:nbome"),
        ("2C-T-7", "class:2c-t-x"),
        ("DOM", "class:dox"),
        ("5-MeO-DMT", "class:5-meo-xxt"),
        ("2C-I", "class:2c-x"),
    ],
)
def test_class_words_plurals_slang_brand_and_street_names_are_understood(word, means):
    assert checker.find(word).id == means


def test_a_class_brings_its_broader_classes_so_class_rules_reach_it():
    assert set(checker.find("benzos").classes) == {"benzodiazepine", "depressant"}


def test_benzos_misspelt_is_suggested_and_nothing_unrelated_is():
    with pytest.raises(interactions.UnknownSubstance) as error:
        checker.find("benzoz")
    assert "benzos" in error.value.suggestions
    assert not {"nos", "bees"} & set(error.value.suggestions)


def test_an_unfinished_name_suggests_names_that_start_with_it():
    assert checker.suggest("fenta")[0].casefold().startswith("fenta")


def test_a_name_with_nothing_close_has_no_suggestions():
    assert checker.suggest("qqqqqq") == []


def test_a_line_of_free_text_is_split_into_names():
    assert interactions.split_names("benzos and alcohol, xanax + weed with molly") == [
        "benzos",
        "alcohol",
        "xanax",
        "weed",
        "molly",
    ]
    assert interactions.split_names("GHB/GBL; opioids") == ["GHB/GBL", "opioids"]


def test_four_substances_give_every_pair_and_a_warning_about_the_depressants_together():
    answer = interactions.ask(checker, ["heroin", "benzos", "alcohol", "weed"])

    assert len(answer.pairs) == 6
    [warning] = answer.warnings
    assert warning.text.startswith("Three of these slow breathing")
    assert set(warning.subjects) == {"heroin", "class:benzodiazepine", "alcohol"}
    assert warning.sources


def test_two_substances_or_one_depressant_give_no_mix_warning():
    assert interactions.ask(checker, ["heroin", "xanax"]).warnings == []
    assert interactions.ask(checker, ["heroin", "lsd", "weed"]).warnings == []


@pytest.mark.parametrize(
    "names, message",
    [
        (["heroin"], "at least two"),
        (["heroin", "dope"], "same substance"),
        (["heroin"] * 50, "at most 10"),
    ],
)
def test_too_few_or_too_many_substances_are_refused_with_a_clear_message(names, message):
    with pytest.raises(interactions.CheckError, match=message):
        interactions.ask(checker, names)


def test_the_command_line_takes_a_sentence_and_classes(capsys):
    assert main(["benzos and alcohol", "opioids"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("WARNING for the whole mix:")
    assert "Benzodiazepines (any) + Alcohol: DANGEROUS" in out


def test_the_command_line_refuses_fifty_substances_with_exit_2(capsys):
    assert main(["heroin"] * 50) == 2
    assert "at most 10" in capsys.readouterr().err


def test_the_command_line_json_sends_the_mix_warning_to_stderr(capsys):
    assert main(["--json", "heroin, xanax, alcohol"]) == 0

    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 3 and captured.err.startswith("warning: Three of these")


def test_the_api_takes_free_text_and_returns_the_mix_warning():
    response = TestClient(router).get("/interactions", query_params={"q": "heroin, benzos and booze"})

    assert response.status_code == 200
    data = response.json()
    assert data["substances"][1]["is_class"] is True and len(data["pairs"]) == 3
    assert data["warnings"][0]["substances"] == ["heroin", "class:benzodiazepine", "alcohol"]


def test_the_api_refuses_fifty_substances_and_one_substance_with_400():
    client = TestClient(router)
    response = client.get("/interactions", query_params={"substance": ["heroin"] * 50})
    assert response.status_code == 400 and "at most 10" in response.json()["detail"]
    assert client.get("/interactions", query_params={"q": "heroin"}).status_code == 400


def test_the_api_lists_names_for_suggestions():
    names = TestClient(router).get("/interactions/names", query_params={"q": "benz"}).json()
    assert "benzos" in names and all(n.casefold().replace("-", "").startswith("benz") for n in names)


@pytest.mark.parametrize(
    "file, content, message",
    [
        ("queries.yaml", "groups: [", "invalid YAML"),
        (
            "queries.yaml",
            "broad_classes: []\ngroups: {}\nwords: {}\ntripsit: {}\n",
            "no mapping in queries.yaml",
        ),
        ("tripsit/combos.yaml", "", "the file is empty"),
        ("tripsit/combos.yaml", "source: {}\ncategories: []\nnames: {}\npairs: []\n", "'source' must give"),
    ],
)
def test_an_invalid_mapping_or_chart_file_exits_2_naming_the_file(data_copy, capsys, file, content, message):
    (data_copy / file).write_text(content)

    assert main(["--data", str(data_copy), "heroin", "xanax"]) == 2
    err = capsys.readouterr().err
    assert file.split("/")[-1] in err and message in err


def test_a_name_that_holds_a_separator_is_kept_whole():
    assert interactions.split_names("N,N-DMT, lsd", checker) == ["N,N-DMT", "lsd"]
    assert [s.id for s in checker.resolve(interactions.split_names("n,n-dmt and weed", checker))] == [
        "dmt",
        "cannabis",
    ]
