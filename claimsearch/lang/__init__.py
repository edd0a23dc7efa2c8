"""Per-language data (cue verbs, markers, abbreviations, months), kept as JSON beside this file."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def load_lang(lang: str) -> dict:
    path = HERE / f"{lang}.json"
    if not path.exists():
        raise ValueError(f"no language data for {lang!r}: claimsearch knows fr and en")
    return json.loads(path.read_text(encoding="utf-8"))
