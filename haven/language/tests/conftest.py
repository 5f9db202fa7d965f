"""Shared fixtures for the language checker tests (plain Python, no Django)."""

from __future__ import annotations

import pytest

from haven.language.checker import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="session")
def rules_in(checker):
    """rules_in(text, fmt="text") -> set of rule ids reported."""

    def _rules_in(text: str, fmt: str = "text") -> set[str]:
        return {f.rule for f in checker.check(text, fmt)}

    return _rules_in
