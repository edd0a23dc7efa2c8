"""Rebuild the input fixtures from the real corpus articles (tests/fixtures/corpus, CC BY 2.5).

    python tests/cases/inputs/make_inputs.py

fr-wn-0008.html is hand-written (the article's text in news-page markup) and not rebuilt here.
"""
import json
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", the codec that makes real mojibake

HERE = Path(__file__).parent
CORPUS = HERE.parent.parent / "fixtures" / "corpus"


def article(name: str, paragraphs: int) -> str:
    """Title and the first paragraphs of a corpus article."""
    blocks = (CORPUS / name[:2] / f"{name}.txt").read_text(encoding="utf-8").strip().split("\n\n")
    return "\n\n".join(blocks[: paragraphs + 1]) + "\n"


def body(name: str, paragraphs: int) -> tuple[str, str]:
    title, _, text = article(name, paragraphs).partition("\n\n")
    return title, text.strip()


(HERE / "fr-wn-0004-cp1252.txt").write_bytes(article("fr-wn-0004", 3).encode("cp1252"))
(HERE / "fr-wn-0010-bom.txt").write_bytes(b"\xef\xbb\xbf" + article("fr-wn-0010", 2).replace("\n", "\r\n").encode())
(HERE / "fr-wn-0001-mojibake.txt").write_text(
    article("fr-wn-0001", 6).encode("utf-8").decode("sloppy-windows-1252"), encoding="utf-8")

title1, text1 = body("fr-wn-0009", 2)
title2, text2 = body("en-wn-0002", 2)
title3, text3 = body("fr-wn-0013", 1)
lines = [
    json.dumps({"id": "hp-fr", "title": title1, "text": text1, "lang": "fr", "date": "2012-07-05",
                "url": "https://fr.wikinews.org/", "source": "Wikinews"}, ensure_ascii=False),
    json.dumps({"title": title2, "text": text2}, ensure_ascii=False),  # no id, no lang: detected
    '{"id": "broken", "title": "Cut off", "text": "A line cut in the mid',  # invalid JSON
    json.dumps({"id": "no-text", "title": title3}, ensure_ascii=False),  # no "text" field
    "",
    json.dumps({"id": 7, "text": f"{title3}\n\n{text3}"}, ensure_ascii=False),  # title on the text's first line
]
(HERE / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
(HERE / "record.json").write_text(json.dumps({"id": "one", "title": title2, "text": text2}, ensure_ascii=False,
                                             indent=2), encoding="utf-8")
(HERE / "records.json").write_text(json.dumps([{"title": title1, "text": text1}, {"title": title3}],
                                              ensure_ascii=False, indent=2), encoding="utf-8")
