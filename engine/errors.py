"""User-facing errors and engine errors.

A *user error* is a mistake in something the user gave us (a file, a flag). It carries every
diagnostic found, each naming the file, line, column and the item by id, with a hint saying what to
do. The CLI prints them and exits with status 2; it never prints a traceback for them.

An *engine error* is a bug or a broken invariant inside the engine (for example an indicator that
did not receive exactly one verdict). It is never caught silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one input file: ``path:line:col: where: message [CODE]`` + ``hint: ...``.

    ``code`` names the lint rule (``CS104``; see ``docs/lint-rules.md``) when a rule found it.
    ``level`` is ``error`` (the input, or part of it, was rejected: exit status 2) or ``note``
    (something was left unread on purpose, e.g. a README beside the fact files: said, not an error).
    """

    path: str
    message: str
    hint: str = ""
    line: int | None = None
    col: int | None = None
    where: str = ""
    code: str = ""
    level: str = "error"

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def format(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        message = f"note: {self.message}" if self.level == "note" else self.message
        head = f"{loc}: {self.where}: {message}" if self.where else f"{loc}: {message}"
        if self.code:
            head += f" [{self.code}]"
        return f"{head}\n  hint: {self.hint}" if self.hint else head


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any of ``diagnostics`` is an error (notes alone do not make a run fail)."""
    return any(d.is_error for d in diagnostics)


@dataclass
class UserError(Exception):
    """Bad input. Holds all diagnostics found, so the user can fix them in one pass."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

    @classmethod
    def single(cls, path: str, message: str, hint: str = "", **kw: object) -> UserError:
        return cls([Diagnostic(path=path, message=message, hint=hint, **kw)])  # type: ignore[arg-type]


class EngineError(RuntimeError):
    """A broken invariant inside the engine. Never the user's fault; always a bug to report."""
