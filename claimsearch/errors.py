"""Exceptions raised by the library. The CLI turns them into one-line messages.

ClaimsearchError
├── ArticleError(path, line)     an input file that cannot be read as an article
├── QueryError                   a query that cannot be parsed
├── IndexError_                  an index that is missing, locked or from another version
│   └── IndexVersionError
└── GoldFileError(path)          an annotation file that does not validate
"""
from __future__ import annotations


class ClaimsearchError(Exception):
    """Base of every error claimsearch raises on purpose."""


class ArticleError(ClaimsearchError):
    def __init__(self, path: str | None, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {problem}")


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
