"""The one fold of the project: names, index terms, language data and gold text compare folded."""
from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case, accents and punctuation out ("L’Élysée" → "l elysee"): ASCII words separated by one space."""
    text = unidecode(text.replace("’", "'")).lower()
    return " ".join(NOT_ALNUM.sub(" ", text).split())
