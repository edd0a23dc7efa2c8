"""An index folder from someone else is code: refused unless trusted (issue 13).

Whoosh unpickles the table of contents of an index when it opens it, so a crafted index folder runs
what it wants. claimsearch refuses a folder (or a file in it) that another user owns, before Whoosh
reads anything, unless CLAIMSEARCH_TRUST_INDEX=1.
"""
from __future__ import annotations

import os
import shutil

import pytest

from claimsearch.errors import IndexError_
from claimsearch.indexing import TRUST_ENV
from claimsearch.searching import ClaimIndex

from .index_fixtures import gold_index  # noqa: F401


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_an_index_of_another_user_is_refused_unless_trusted(gold_index, tmp_path, monkeypatch):  # noqa: F811
    theirs = tmp_path / "theirs"
    shutil.copytree(gold_index, theirs)
    toc = next(theirs.glob("*.toc"))
    os.chown(toc, 4242, 4242)  # the table of contents that Whoosh would unpickle
    monkeypatch.delenv(TRUST_ENV, raising=False)
    with pytest.raises(IndexError_, match=f"{toc.name} belongs to another user.*{TRUST_ENV}=1") as info:
        ClaimIndex(theirs)
    assert "\n" not in str(info.value)
    monkeypatch.setenv(TRUST_ENV, "1")
    assert ClaimIndex(theirs).search("CGT", limit=1)
    assert ClaimIndex(gold_index).search("CGT", limit=1)  # one's own index needs nothing
