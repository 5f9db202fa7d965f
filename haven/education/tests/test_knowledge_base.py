"""Haven's knowledge base: at least 40 substances, every fact group sourced, plain Python."""

import subprocess
import sys
from pathlib import Path

from haven.education import knowledge

ROOT = Path(__file__).resolve().parents[3]
GROUPS = ("timing", "dose", "risks", "safer_use", "overdose", "drug_checking")
ASKED_ABOUT = [
    "heroin", "fentanyl", "carfentanil", "oxycodone", "morphine", "methadone", "buprenorphine", "tramadol",
    "nitazenes", "xylazine", "medetomidine", "cocaine", "crack-cocaine", "methamphetamine", "amphetamine",
    "cathinones", "mdma", "alprazolam", "diazepam", "bromazolam", "etizolam", "alcohol", "ghb", "gbl", "ketamine",
    "lsd", "psilocybin", "dmt", "2c-b", "mescaline", "cannabis", "synthetic-cannabinoids", "nitrous-oxide",
    "gabapentin", "pregabalin", "ssris", "maois", "dxm", "caffeine", "nicotine",
]


def test_the_knowledge_base_loads_with_at_least_40_substances():
    kb = knowledge.load()

    assert len(kb.substances) >= 40


def test_it_covers_the_substances_people_ask_about():
    assert set(ASKED_ABOUT) <= set(knowledge.default().substances)


def test_every_fact_group_of_every_substance_has_sources_with_title_publisher_year_and_url():
    for substance in knowledge.default().substances.values():
        for name in GROUPS:
            sources = getattr(substance, name).sources
            assert sources, f"{substance.id}.{name} has no source"
            for source in sources:
                assert source.title and source.publisher and source.url.startswith("https://")
                assert 1900 < source.year < 2100


def test_opioid_sheets_say_naloxone_reverses_them():
    kb = knowledge.default()
    for substance in kb.substances.values():
        if substance.classes[0] == "opioid" and substance.id != "kratom":
            assert substance.overdose.naloxone == "reverses", substance.id


def test_every_overdose_response_says_to_call_emergency_services_or_a_poison_centre():
    for substance in knowledge.default().substances.values():
        steps = " ".join(substance.overdose.response).lower()
        assert "emergency services" in steps or "poison centre" in steps, substance.id


def test_timing_is_given_only_for_routes_the_substance_is_taken_by():
    for substance in knowledge.default().substances.values():
        assert set(substance.timing.by_route) <= set(substance.routes)


def test_crack_cocaine_is_a_form_of_cocaine():
    crack = knowledge.default().substances["crack-cocaine"]

    assert (crack.form_of, crack.root) == ("cocaine", "cocaine")


def test_topics_lists_every_substance_id_and_name_for_the_encounter_form():
    topics = knowledge.topics()

    assert {"id": "heroin", "name": "Heroin"} in topics
    assert len(topics) == len(knowledge.default().substances)


def test_search_finds_a_substance_by_any_part_of_any_name():
    ids = [substance.id for substance in knowledge.default().search("xan")]

    assert "alprazolam" in ids


def test_the_engine_runs_without_importing_django():
    code = (
        "import sys\n"
        "from haven.education import cli, interactions, knowledge\n"
        "interactions.check(['heroin', 'xanax'])\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_docs_list_every_source():
    docs = (ROOT / "docs" / "EDUCATION.md").read_text(encoding="utf-8")

    missing = [key for key in knowledge.default().sources if f"`{key}`" not in docs]
    assert not missing, f"add these sources to the list in docs/EDUCATION.md: {missing}"
