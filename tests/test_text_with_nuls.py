"""Text that holds NUL bytes is still read: UTF-16 without a byte-order mark, or a stray NUL (issue 13).

The stress test found UTF-16 without BOM rejected as binary, and one NUL byte in the first 8 KB
rejecting a whole article. What can be decoded is, and a warning says what was dropped.
"""
from __future__ import annotations

import pytest

from claimsearch.errors import ArticleError
from claimsearch.reading import read_article

from .index_fixtures import FIXTURES

FR08 = FIXTURES / "corpus" / "fr" / "fr-wn-0008.txt"  # accents, guillemets, apostrophes


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path, codec):
    path = tmp_path / "hp.txt"
    path.write_bytes(FR08.read_text(encoding="utf-8").encode(codec))
    article = read_article(path)
    assert article.text == read_article(FR08).text
    assert article.warnings == (f"{path}: decoded as UTF-16 ({codec[-2:].upper()}, no byte-order mark)",)


def test_stray_nul_bytes_are_dropped_and_counted(tmp_path):
    data = FR08.read_bytes()
    path = tmp_path / "hp.txt"
    path.write_bytes(data[:300] + b"\x00" + data[300:] + b"\x00")
    article = read_article(path)
    assert article.text == read_article(FR08).text
    assert article.warnings == (f"{path}: dropped 2 NUL bytes (the first at offset 300)",)


def test_binary_data_with_nuls_is_still_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ArticleError, match=r"binary data, not text \(NUL byte at offset 0\)"):
        read_article(path)
