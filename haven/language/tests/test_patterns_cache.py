"""Compiled patterns kept between command-line runs (patterns.py) are the patterns re.compile builds."""

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from haven.language import patterns
from haven.language.rules import LANGUAGE_RULES, load_rules
from haven.language.tests.test_corpus import load_corpus, load_registers

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty pattern store in a folder of its own, as in a first command-line run."""
    monkeypatch.setenv("HAVEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "_added", False)
    return tmp_path / "language"


@pytest.mark.parametrize("language", sorted(LANGUAGE_RULES))
def test_a_kept_pattern_is_the_pattern_re_compile_builds(store, monkeypatch, language):
    for rule in load_rules([LANGUAGE_RULES[language]], lazy_context=False):
        assert rule.matchers
    compiled = [key for key in patterns._programs if len(key) == 2]
    leading = {key: value for key, value in patterns._programs.items() if key[0] == "leading"}
    assert len(compiled) > 5
    patterns.save()
    assert len(list(store.glob("patterns-*.marshal"))) == 1
    monkeypatch.setattr(patterns, "_programs", None)  # the next run reads the file
    for pattern, flags in compiled:
        kept = patterns.compile(pattern, flags)
        # equality of patterns compares the text, the flags and the engine's program, code by code
        assert kept == re.compile(pattern, flags), pattern[:80]
        assert kept.groupindex == re.compile(pattern, flags).groupindex
    for (_, pattern, flags), value in leading.items():
        assert patterns.leading_literals(pattern, flags) == value
    assert not patterns._added  # every one came from the file


def test_a_damaged_store_is_ignored(store, monkeypatch):
    patterns.compile(r"(?<![\w])(?:addicts?)(?![\w])", re.IGNORECASE)
    patterns.save()
    (path,) = store.glob("patterns-*.marshal")
    path.write_bytes(b"\x00not marshal")
    monkeypatch.setattr(patterns, "_programs", None)
    assert patterns.compile(r"(?<![\w])(?:addicts?)(?![\w])", re.IGNORECASE).search("Addict")
    with pytest.raises(re.error):
        patterns.compile(r"(unclosed", 0)


def _command_line(corpus: Path, cache: str, seed: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "haven.language", "-q", "--format", "json", str(corpus)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"HAVEN_CACHE_DIR": cache, "PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        check=False,
    ).stdout


def test_the_command_line_reports_the_same_with_kept_patterns_and_without(tmp_path):
    # the labelled corpora as one file, as bench/language/run.py times it; three runs with different
    # hash seeds (the pattern text must not depend on the run, or nothing would ever be found kept)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(
        "\n\n".join(i["text"] for i in load_corpus() + load_registers()) + "\n", encoding="utf-8"
    )
    cache = str(tmp_path / "cache")
    reference = _command_line(corpus, "", "0")
    assert json.loads(reference)["findings"]
    assert _command_line(corpus, cache, "1") == reference  # fills the store
    store = list((tmp_path / "cache" / "language").glob("patterns-*.marshal"))
    assert len(store) == 1
    before = hashlib.sha256(store[0].read_bytes()).hexdigest()
    assert _command_line(corpus, cache, "2") == reference  # reads it, adds nothing
    assert hashlib.sha256(store[0].read_bytes()).hexdigest() == before
