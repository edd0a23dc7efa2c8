"""A page whose <div>s nest 10,000 deep keeps its article text (issue 13).

lxml stops building the tree at 256 levels, so trafilatura found "no article text" in such a page.
Wrapper <div>s deeper than MAX_NESTING are ignored (with a warning), and the paragraphs come back.
"""
from __future__ import annotations

from claimsearch.reading import MAX_NESTING, read_file

from .index_fixtures import FIXTURES

PAGE = FIXTURES.parent / "cases" / "inputs" / "fr-wn-0008.html"


def test_a_deeply_nested_page_keeps_its_paragraphs(tmp_path):
    html = PAGE.read_text(encoding="utf-8")
    body = html.index(">", html.index("<body")) + 1
    end = html.rindex("</body>")
    deep = tmp_path / "deep.html"
    deep.write_text(html[:body] + "<div>" * 10_000 + html[body:end] + "</div>" * 10_000 + html[end:], encoding="utf-8")
    (normal,) = read_file(PAGE)
    (article,) = read_file(deep)
    assert article.title == normal.title
    assert all(p in article.text for p in normal.text.split("\n\n"))  # every real paragraph is there
    assert article.warnings == (f"{deep}: 10002 nested <div>s ignored (the HTML parser keeps {MAX_NESTING} levels)",)


def test_a_page_of_ordinary_depth_is_read_as_it_is():
    (article,) = read_file(PAGE)
    assert article.warnings == ()
