"""Extraction on a Dask LocalCluster (loopback) gives the claims of a single-process run."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimsearch.distributed import extract_to_shards, index_claims, read_shards
from claimsearch.errors import ArticleError, ClaimsearchError
from claimsearch.indexing import claim_count
from claimsearch.models import ExtractedArticle
from claimsearch.pipeline import extract_many

distributed = pytest.importorskip("distributed")
CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Five real articles in both languages, and one file that is not text."""
    folder = tmp_path_factory.mktemp("inputs")
    for path in [*sorted((CORPUS / "fr").glob("*.txt"))[:3], *sorted((CORPUS / "en").glob("*.txt"))[:2]]:
        shutil.copy(path, folder / path.name)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not an article")
    return folder


@pytest.fixture(scope="module")
def shards(cluster, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("shards")
    seen: list[ExtractedArticle | ArticleError] = []
    report = extract_to_shards([inputs], out, scheduler=cluster.scheduler_address, partition_size=2,
                               on_progress=seen.append)
    return out, report, seen


def test_cluster_gives_the_claims_of_one_process(inputs, shards):
    out, report, _ = shards
    alone = list(extract_many([inputs]))
    spread = list(read_shards(out))
    assert [r.article for r in spread if isinstance(r, ExtractedArticle)] == \
        [r.article for r in alone if isinstance(r, ExtractedArticle)]
    assert [r.claims for r in spread if isinstance(r, ExtractedArticle)] == \
        [r.claims for r in alone if isinstance(r, ExtractedArticle)]
    assert sum(len(r.claims) for r in spread if isinstance(r, ExtractedArticle)) > 0
    # the claims' vectors were computed on the workers, beside the parse, and travel in the shards
    from claimsearch.vectors import VECTOR_BYTES
    assert all(len(r.vectors) == len(r.claims) * VECTOR_BYTES for r in spread if isinstance(r, ExtractedArticle))
    assert [str(e) for e in spread if isinstance(e, ArticleError)] == \
        [str(e) for e in alone if isinstance(e, ArticleError)]


def test_report_counts_shards_and_errors(shards):
    out, report, seen = shards
    assert report.articles == 5 and report.workers == 2
    assert report.shards == 3 == len(list(out.glob("claims-*.jsonl")))  # partitions of 2 articles
    assert len(report.errors) == 1 and "binary.txt" in report.errors[0]
    assert (out / "errors.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert report.claims == sum(len(s.claims) for s in seen if isinstance(s, ExtractedArticle))
    assert sum(isinstance(s, ArticleError) for s in seen) == 1


def test_index_claims_loads_the_shards(shards, tmp_path):
    out, report, _ = shards
    indexed = index_claims(out, tmp_path / "index")
    unique = {c.id for r in read_shards(out) if isinstance(r, ExtractedArticle) for c in r.claims}
    assert indexed.articles == 5 and claim_count(tmp_path / "index") == len(unique)
    assert any("binary.txt" in e for e in indexed.errors)


def test_index_claims_refuses_a_file_changed_since_extraction(cluster, inputs, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(inputs, folder)
    (folder / "binary.txt").unlink()
    extract_to_shards([folder], tmp_path / "shards", scheduler=cluster.scheduler_address)
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    indexed = index_claims(tmp_path / "shards", tmp_path / "index")
    assert indexed.articles == 4
    assert [e for e in indexed.errors if changed.name in e and "changed since" in e]


def test_a_folder_without_manifest_is_refused(tmp_path):
    (tmp_path / "claims-00000.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(ClaimsearchError, match="no manifest"):
        list(read_shards(tmp_path))
