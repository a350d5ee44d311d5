"""The easy-read markup: a small line-based language that templates produce.

A template renders to this markup and `parse` turns it into Document blocks (see
docs/templates.md for the language). Values inserted from the plan arrive wrapped in
private-use marker characters, so they are opaque here: whatever a person wrote, it
is always text, never a heading, a symbol, bold or a table cell break.

Markers (all in the Unicode private use area, stripped from every input):
  LINE_OPEN name:line LINE_CLOSE                    "what follows comes from template line N"
  VALUE_OPEN field|flags VALUE_SEP text VALUE_CLOSE   "this text is a plan value from field"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, TypedDict, cast

from easyread.document import (
    Agreement,
    Block,
    ContactCard,
    ContactKey,
    Cover,
    Detail,
    Glossary,
    ListBlock,
    Quote,
    Row,
    Run,
    Section,
    Source,
    Statement,
    Table,
    Term,
    plain,
)
from easyread.errors import TemplateError

LINE_OPEN, LINE_CLOSE, VALUE_OPEN, VALUE_SEP, VALUE_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
MARKERS = re.compile("[\ue000-\ue00f]")
OWN_WORDS_FLAG = "o"

_TOKENS = re.compile(
    f"{LINE_OPEN}([^{LINE_CLOSE}]*){LINE_CLOSE}|{VALUE_OPEN}([^{VALUE_SEP}]*){VALUE_SEP}([^{VALUE_CLOSE}]*){VALUE_CLOSE}|\n"
)
# `:name:` fixes a picture; `:name?:` is a soft default, used only when the words choose nothing better
SYMBOL = re.compile(r":([a-z0-9]+(?:-[a-z0-9]+)*)(\?)?:\s*")
# a template's full stop straight after a value that ends a sentence itself (bold marks may come between)
_ENDED = re.compile(r"^(\**)\.(?!\.)")
CONTACT_KEYS = ("name", "role", "organisation", "phone", "email", "address", "hours")
AGREEMENT_KEYS = ("status", "comments", "said", "choose", "choice", "write", "sign")


def strip_markers(text: str) -> str:
    """Remove marker characters, so input text can never forge markup."""
    return MARKERS.sub("", text)


def value_span(text: str, path: str | None, own_words: bool = False) -> str:
    """Wrap a plan value so the parser treats it as literal text from `path`."""
    flags = OWN_WORDS_FLAG if own_words else ""
    return f"{VALUE_OPEN}{path or ''}|{flags}{VALUE_SEP}{text}{VALUE_CLOSE}"


def line_marker(template: str, line: int) -> str:
    """Mark that the output after it comes from a template line."""
    return f"{LINE_OPEN}{template}:{line}{LINE_CLOSE}"


@dataclass
class Value:
    """Literal text from the plan (or any expression) inside a markup line."""

    text: str
    field: str | None
    own_words: bool


@dataclass
class Line:
    """One line of markup: template text (str) and values, and where it came from."""

    parts: list[str | Value] = field(default_factory=list)
    template: str | None = None
    number: int | None = None

    @property
    def blank(self) -> bool:
        return not any(isinstance(p, Value) or p.strip() for p in self.parts)

    def source(self) -> Source:
        fields = [p.field for p in self.parts if isinstance(p, Value) and p.field]
        return Source(template=self.template, line=self.number, fields=list(dict.fromkeys(fields)))

    def fail(self, message: str) -> TemplateError:
        return TemplateError(message, self.template, self.number)

    def lstrip(self) -> Line:
        """The line without leading whitespace in its template text."""
        parts = list(self.parts)
        while parts and isinstance(parts[0], str):
            head = parts[0].lstrip()
            if head:
                parts[0] = head
                break
            parts.pop(0)
        return Line(parts, self.template, self.number)

    def after(self, prefix: str) -> Line:
        """The rest of a line known to start with `prefix`."""
        rest = self.take_prefix(prefix)
        if rest is None:
            raise self.fail(f"expected a line starting with {prefix.strip()!r}")
        return rest

    def take_prefix(self, prefix: str) -> Line | None:
        """If the line's template text starts with `prefix`, the rest of the line; else None."""
        if self.parts and isinstance(self.parts[0], str) and self.parts[0].startswith(prefix):
            return Line([self.parts[0][len(prefix):], *self.parts[1:]], self.template, self.number).lstrip()
        return None

    def split(self, separator: str, limit: int = -1) -> list[Line]:
        """Split on a separator found in template text only (values are never split)."""
        pieces: list[Line] = []
        current = Line([], self.template, self.number)
        for part in self.parts:
            if isinstance(part, Value):
                current.parts.append(part)
                continue
            chunks = part.split(separator, limit - len(pieces) if limit >= 0 else -1)
            for chunk in chunks[:-1]:
                current.parts.append(chunk)
                pieces.append(current)
                current = Line([], self.template, self.number)
            current.parts.append(chunks[-1])
        pieces.append(current)
        return [piece.lstrip() for piece in pieces]


def lines(output: str) -> list[Line]:
    """Cut rendered template output into markup lines, keeping each line's template origin."""
    result: list[Line] = []
    current = Line()
    origin: tuple[str | None, int | None] = (None, None)

    def add(part: str | Value) -> None:
        if current.number is None and (isinstance(part, Value) or part.strip()):
            current.template, current.number = origin
        if isinstance(part, str) and current.parts and isinstance(current.parts[-1], Value) \
                and current.parts[-1].text.endswith((".", "?", "!")):
            part = _ENDED.sub(r"\1", part)  # "helps him." then the template's "." is one full stop, not ".."
        current.parts.append(part)

    position = 0
    for match in _TOKENS.finditer(output):
        if match.start() > position:
            add(output[position:match.start()])
        position = match.end()
        if match.group(1) is not None:
            name, _, number = match.group(1).rpartition(":")
            origin = (name, int(number))
        elif match.group(2) is not None:
            path, _, flags = match.group(2).partition("|")
            add(Value(" ".join(match.group(3).split()), path or None, OWN_WORDS_FLAG in flags))
        else:
            result.append(current)
            current = Line()
    if position < len(output):
        add(output[position:])
    result.append(current)
    return result


def runs(line: Line) -> list[Run]:
    """Inline content: template text with **bold**, and values as literal runs."""
    result: list[Run] = []
    bold = False
    for part in line.parts:
        if isinstance(part, Value):
            if part.text:
                result.append(Run(text=part.text, bold=bold, field=part.field, own_words=part.own_words))
            continue
        pieces = part.split("**")
        for index, piece in enumerate(pieces):
            if index:
                bold = not bold
            if piece:
                result.append(Run(text=piece, bold=bold))
    if bold:
        raise line.fail("bold is not closed: every ** needs a closing **")
    return _merged(result)


def _merged(items: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same kind and trim the ends."""
    merged: list[Run] = []
    for run in items:
        last = merged[-1] if merged else None
        if last and (last.bold, last.field, last.own_words) == (run.bold, run.field, run.own_words):
            merged[-1] = last.model_copy(update={"text": last.text + run.text})
        else:
            merged.append(run)
    if merged:
        merged[0] = merged[0].model_copy(update={"text": merged[0].text.lstrip()})
        merged[-1] = merged[-1].model_copy(update={"text": merged[-1].text.rstrip()})
    return [run for run in merged if run.text]


class Picture(TypedDict, total=False):
    """A block's picture as the template wrote it: fixed (`:name:`) or a soft default (`:name?:`)."""

    symbol: str
    symbol_default: str


def _symbol(line: Line, known: Callable[[str], str | None]) -> tuple[Picture, Line]:
    """A leading `:name:` or `:name?:` in template text: the picture as block fields, and the rest of the line."""
    if not (line.parts and isinstance(line.parts[0], str)):
        return {}, line
    match = SYMBOL.match(line.parts[0])
    if not match:
        return {}, line
    problem = known(match.group(1))
    if problem:
        raise line.fail(problem)
    picture: Picture = {"symbol_default": match.group(1)} if match.group(2) else {"symbol": match.group(1)}
    return picture, Line([line.parts[0][match.end():], *line.parts[1:]], line.template, line.number)


@dataclass
class Parsed:
    """What parsing produced: the title and the top-level blocks."""

    title: list[Run]
    title_source: Source | None
    blocks: list[Block]
    cover: Cover | None = None


class Parser:
    """Turns markup lines into Document blocks."""

    def __init__(self, check_symbol: Callable[[str], str | None]) -> None:
        self.check_symbol = check_symbol

    def parse(self, output: str) -> Parsed:
        """Parse rendered template output."""
        title: list[Run] = []
        title_source: Source | None = None
        top: list[Block] = []
        section: Section | None = None
        subsection: Section | None = None
        cover: Cover | None = None
        new_page = False  # "@newpage": the next section starts a page
        pending = [line.lstrip() for line in lines(output)]
        index = 0

        def target() -> list[Block]:
            open_section = subsection or section
            return open_section.blocks if open_section is not None else top

        while index < len(pending):
            line = pending[index]
            index += 1
            if line.blank:
                continue
            if not title and line.take_prefix("# ") is None:
                raise line.fail("the template must start with its title, a '# ' line, before anything else")
            if (rest := line.take_prefix("@cover")) is not None:
                if cover is not None or top:
                    raise line.fail("@cover comes once, straight after the '# ' title")
                picture, _ = _symbol(rest, self.check_symbol)
                taken = []
                while index < len(pending) and not pending[index].blank:
                    taken.append(self._statement(pending[index], symbols=False))
                    index += 1
                cover = Cover(lines=taken, source=line.source(), **picture)
                continue
            if line.take_prefix("@newpage") is not None:
                new_page = True
                continue
            if line.parts and isinstance(line.parts[0], str) and line.parts[0].startswith("\\"):
                unmarked = Line([line.parts[0][1:], *line.parts[1:]], line.template, line.number)
                target().append(self._statement(unmarked, symbols=False))
                continue
            for prefix, level in (("### ", 3), ("## ", 2), ("# ", 1)):
                rest = line.take_prefix(prefix)
                if rest is None:
                    continue
                picture, rest = _symbol(rest, self.check_symbol)
                heading = runs(rest)
                if not heading:
                    raise line.fail("a heading needs words")
                if level == 1:
                    if title:
                        raise line.fail("only one '# ' title is allowed, at the top; use '## ' for a section")
                    title, title_source = heading, line.source()
                elif level == 2:
                    section = Section(heading=heading, level=2, new_page=new_page, source=line.source(), **picture)
                    subsection, new_page = None, False
                    top.append(section)
                else:
                    if section is None:
                        raise line.fail("a '### ' heading must come after a '## ' heading")
                    subsection = Section(heading=heading, level=3, source=line.source(), **picture)
                    section.blocks.append(subsection)
                break
            else:
                index = self._block(line, pending, index, target())
        if not title:
            raise TemplateError("the template has no title: start it with a '# ' line")
        return Parsed(title, title_source, _without_empty_sections(top), cover)

    def _block(self, line: Line, pending: list[Line], index: int, into: list[Block]) -> int:
        """Parse the block that starts at `line`; return the index of the next unread line."""
        def following(prefix: str | None) -> list[Line]:
            nonlocal index
            taken = []
            while index < len(pending) and not pending[index].blank:
                if prefix is not None and pending[index].take_prefix(prefix) is None:
                    break
                taken.append(pending[index])
                index += 1
            return taken

        if line.take_prefix("- ") is not None:
            items = [self._statement(item.after("- ")) for item in [line, *following("- ")]]
            into.append(ListBlock(items=[i for i in items if i.runs], source=line.source()))
        elif (rest := line.take_prefix("> ")) is not None:
            picture, rest = _symbol(rest, self.check_symbol)
            # A quote holds the person's words: every value in it is theirs, even one that
            # went through a filter that dropped its field path.
            rest.parts = [Value(p.text, p.field, True) if isinstance(p, Value) else p for p in rest.parts]
            if content := runs(rest):
                into.append(Quote(runs=content, source=rest.source(), **picture))
        elif (rest := line.take_prefix("@table")) is not None:
            rows = following("|")
            if not rows:
                raise line.fail("@table needs a header row of | cells | on the next line")
            header, *body = [self._cells(row) for row in rows]
            for row, cells in zip(rows[1:], body):
                if len(cells) != len(header):
                    raise row.fail(f"every table row needs {len(header)} cells, like the header row")
            into.append(Table(caption=plain(runs(rest)), header=header, source=line.source(),
                              rows=[Row(cells=cells, source=row.source()) for row, cells in zip(rows[1:], body)]))
        elif (rest := line.take_prefix("@term")) is not None:
            terms = [self._term(term) for term in [line, *following("@term")]]
            into.append(Glossary(terms=terms, source=line.source()))
        elif (rest := line.take_prefix("@contact")) is not None:
            urgent = rest.take_prefix("emergency")  # "@contact emergency :phone:": whom to ring in an emergency
            picture, _ = _symbol(urgent or rest, self.check_symbol)
            details = [Detail(key=cast(ContactKey, key), runs=value, source=entry.source())
                       for entry in following(None) for key, value in [self._key_value(entry, CONTACT_KEYS)] if value]
            into.append(ContactCard(details=details, emergency=urgent is not None, source=line.source(), **picture))
        elif line.take_prefix("@agreement") is not None:
            block = Agreement(source=line.source())
            for entry in following(None):
                key, value = self._key_value(entry, AGREEMENT_KEYS)
                if key in ("status", "comments"):
                    setattr(block, key, value or None)
                elif key in ("said", "choose", "write"):
                    setattr(block, key, plain(value).strip() or None)
                elif key == "choice" and value:
                    picture, words = _symbol(entry.split(":", 1)[1], self.check_symbol)  # "choice: :agree: I agree."
                    block.choices.append(Statement(runs=runs(words), source=entry.source(), **picture))
                elif value:
                    block.sign.append(plain(value))
            into.append(block)
        elif line.take_prefix("@") is not None and isinstance(line.parts[0], str):
            word = line.parts[0].split()[0]
            raise line.fail(f"unknown block {word!r}; blocks are @table, @term, @contact and @agreement")
        else:
            statement = self._statement(line)
            if statement.runs:
                into.append(statement)
        return index

    def _statement(self, line: Line, symbols: bool = True) -> Statement:
        picture, rest = _symbol(line, self.check_symbol) if symbols else ({}, line)
        content = runs(rest)
        if picture and not content:
            raise line.fail(f"the symbol :{next(iter(picture.values()))}: needs words beside it")
        return Statement(runs=content, source=line.source(), **picture)

    def _cells(self, row: Line) -> list[list[Run]]:
        cells = row.after("|").split("|")
        if cells and cells[-1].blank:
            cells.pop()
        return [runs(cell) for cell in cells]

    def _term(self, line: Line) -> Term:
        pieces = line.after("@term").split(":", 1)
        if len(pieces) != 2 or not runs(pieces[0]):
            raise line.fail("write a word to know as '@term word: what it means'")
        return Term(word=plain(runs(pieces[0])), meaning=runs(pieces[1]), source=line.source())

    def _key_value(self, line: Line, keys: tuple[str, ...]) -> tuple[str, list[Run]]:
        pieces = line.split(":", 1)
        key = plain(runs(pieces[0])).strip().lower() if len(pieces) == 2 else ""
        if key not in keys:
            raise line.fail(f"expected a line starting with one of {', '.join(k + ':' for k in keys)}")
        return key, runs(pieces[1])


def _without_empty_sections(blocks: list[Block]) -> list[Block]:
    """Drop sections that ended up with nothing in them (a heading over nothing misleads)."""
    kept = []
    for block in blocks:
        if isinstance(block, Section):
            block.blocks = _without_empty_sections(block.blocks)
            if not block.blocks:
                continue
        kept.append(block)
    return kept
