"""Errors raised by the library. The CLI turns each into one line on stderr and a non-zero exit."""

from __future__ import annotations

from pathlib import Path


class AgirError(Exception):
    """Base class of every error the library raises on purpose (bad input, unusable motion)."""


class MotionFileError(AgirError):
    """A motion file cannot be read: says which file, what is wrong and what was expected."""

    def __init__(self, path: str | Path | None, problem: str, expected: str | None = None) -> None:
        self.path = str(path) if path is not None else "<array>"
        self.problem = problem
        self.expected = expected
        message = f"{self.path}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)


class AnalysisError(AgirError):
    """A motion was read but cannot be analysed (e.g. fewer than two strides)."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = str(path) if path is not None else "<motion>"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
