"""The index the web tests read: the gold articles (fr-03 among them, the seed article with the WSJ
claim about Starlink and Taiwan) and one hostile article whose title, claims and quotation hold
`<script>` and `"><img onerror=…>`. Built once per session; the gold extractions are the shared cache."""
from __future__ import annotations

from pathlib import Path

import pytest

from .index_fixtures import FIXTURES, build, gold_files

HOSTILE = (FIXTURES / "hostile" / "xss-01.txt").resolve()


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web_index")
    report = build(path, [*gold_files(), HOSTILE])
    assert not report.errors, report.errors
    return path
