"""The errors easyread raises; each says what went wrong, where, and what to do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class EasyReadError(Exception):
    """Base class: the message is one or more clear lines for a person to act on. `format` names the format
    whose writer raised it, when one did (see `making`), and the message begins with it ("pdf: ...")."""

    format: str | None = None

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.format}: {message}" if self.format else message


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what is wrong."""

    message: str
    file: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file or "<input>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{place}:{field} {self.message}"


class InputError(EasyReadError):
    """The input could not be read or is not a valid input of any kind."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"{head} in the input:\n" + "\n".join(f"  {p}" for p in problems))


class TemplateError(EasyReadError):
    """A template is missing, broken, or tried to do something it may not."""

    def __init__(self, message: str, template: str | None = None, line: int | None = None) -> None:
        self.template = template
        self.line = line
        where = f"{template}:{line}: " if template and line else (f"{template}: " if template else "")
        super().__init__(where + message)


class OutputError(EasyReadError):
    """An output could not be made or written."""


class UsageError(EasyReadError):
    """The caller asked for something that does not exist (a format, a profile)."""


class InstallError(EasyReadError):
    """Part of easyread's installation is missing or broken (a data file, a font, an engine); says what to install."""


@contextmanager
def making(fmt: str) -> Iterator[None]:
    """Name the format in any OutputError or InstallError its writer raises, so the message says which one failed."""
    try:
        yield
    except (OutputError, InstallError) as err:
        if err.format is None:
            err.format = fmt
        raise


class WriterUnavailable(InstallError):
    """A format's engine or data is not installed; the message says what to install. Other formats still get made."""
