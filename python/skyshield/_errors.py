"""The error raised for a scenario that cannot be loaded, changed or prepared."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario that cannot be used: what is wrong, and where.

    Its fields are those of the first problem found; ``diagnostics`` lists every problem, each
    as ``(file, line, column, message)``. Line and column count from 1; they are ``None`` for a
    problem of the scenario as a whole (found when it is prepared), which has no place in the
    text. ``str(error)`` is every problem as ``FILE:LINE:COL: message``, one a line, as the
    command line prints them.
    """

    file: str
    line: int | None
    column: int | None
    message: str
    diagnostics: list[tuple[str, int | None, int | None, str]]

    def __init__(
        self,
        file: str,
        line: int | None,
        column: int | None,
        message: str,
        diagnostics: list[tuple[str, int | None, int | None, str]] | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.diagnostics = list(diagnostics) if diagnostics else [(file, line, column, message)]
        super().__init__("\n".join(_located(*d) for d in self.diagnostics))

    def __reduce__(self):  # type: ignore[override]
        return (
            ScenarioError,
            (self.file, self.line, self.column, self.message, self.diagnostics),
        )


def _located(file: str, line: int | None, column: int | None, message: str) -> str:
    if line is None:
        return f"{file}: {message}"
    return f"{file}:{line}:{column}: {message}"
