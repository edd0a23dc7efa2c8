"""Exceptions raised by the library. The CLI turns them into one-line messages.

ClaimsearchError
├── ArticleError(path, line)     an input file that cannot be read as an article
├── QueryError                   a query that cannot be parsed
├── IndexError_                  an index that is missing, locked or from another version
│   └── IndexVersionError
└── GoldFileError(path)          an annotation file that does not validate
"""
from __future__ import annotations

import re

# Control characters (a newline splits an error line, ESC drives the terminal), bidirectional
# overrides (they reorder what follows) and the surrogates Python gives undecodable bytes in names.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(name: str) -> str:
    """A name from the outside (a file name, a query) as one line of plain text: what a terminal would
    act on is written as its escape ("report\\n.txt", "\\x1b[2J")."""
    return UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), name)


class ClaimsearchError(Exception):
    """Base of every error claimsearch raises on purpose."""


class ArticleError(ClaimsearchError):
    def __init__(self, path: str | None, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = printable(path) if path else "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):
        """Rebuilt from its fields when a worker process sends it back (the default passes only the message)."""
        return type(self), (self.path, self.problem, self.line)


class QueryError(ClaimsearchError):
    pass


class IndexError_(ClaimsearchError):
    pass


class IndexVersionError(IndexError_):
    pass


class GoldFileError(ClaimsearchError):
    def __init__(self, path: str, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}")
