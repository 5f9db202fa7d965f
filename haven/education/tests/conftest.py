"""A copy of the knowledge base in a temporary folder, for tests that break a data file."""

import shutil

import pytest

from haven.education import knowledge


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(knowledge.DATA_DIR, target)
    return target
