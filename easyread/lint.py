"""Template lint: check a template's own wording before any person's plan goes through it."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from easyread.composer import compose, header, resolve_template, template_source
from easyread.document import Document
from easyread.errors import TemplateError, UsageError
from easyread.inputs.kinds import kind_named, kinds, kinds_said
from easyread.inputs.loader import load
from easyread.inputs.model import ExtraPart, Input, Letter, Money, Wording
from easyread.inputs.profile import Profile, get_profile
from easyread.readability import Report, check


def sample_path(kind: str) -> Path:
    """The sample input with every part filled for a kind of template; UsageError when the kind has none."""
    sample = kind_named(kind).sample_file()
    if sample is None:
        raise UsageError(f"the kind {kind!r} has no sample input to lint a template with; give one with --sample")
    return sample


def samples() -> list[str]:
    """The kinds that have a sample input to lint a template with."""
    return [name for name, kind in kinds().items() if kind.sample_file() is not None]


def lint(template: str | Path, profile: str | Path | Profile = "easy-read", sample: str | Path | None = None,
         kind: str | None = None) -> Report:
    """Render a template with a sample input and judge only the sentences its own wording is part of.

    The sample is `sample`, else the shipped ones of `kind`, of the header's `kind:`, or of the only
    kind whose sample the template renders with: two of them, one with every optional field filled
    and one with none, so a part that needs an `{% if %}` fails here, not with a real person's letter.
    """
    chosen = get_profile(profile)
    document = None
    shipped = sample is None
    purpose = None
    uses: dict[str, set[str]] = {}
    declared: list[str] = []
    if sample is None:
        env, name = resolve_template(template, kind or "plan")
        source = template_source(env, name) if env.loader is not None else ""
        info = header(source, name) if source else {}
        kind, purpose = kind or info.get("kind"), info.get("purpose")
        uses = _extra_uses(source)
        declared = [part for part in re.split(r"[\s,]+", info.get("extra", "")) if part]
        if kind is None:
            kind, document = _guess_kind(template, chosen)
        elif kind not in samples():
            raise UsageError(f"{template}: the kind {kind!r} is not one of {kinds_said()}")
        sample = sample_path(kind)
    if document is None:
        given = load(sample)
        if shipped and purpose and isinstance(given, Letter):  # the full sample has every letter's parts
            given = given.model_copy(update={"purpose": purpose})
        if shipped:  # every optional part filled: the council's own parts the template asks for too
            given = _with_stand_ins(given, set(uses) | set(declared), uses)
        document = compose(given, template=template, profile=chosen)
    if shipped:
        document._origin = None  # lines of easyread's own sample file would only distract from the template's
    report = check(document, profile=chosen, only=lambda sentence: sentence.template_text)
    report.name = f"{document.template} (with the sample {Path(str(sample)).name})"
    report.list_all = f"easyread templates lint --all {template}"
    if shipped and kind in samples():
        _add_minimal(report, template, kind, chosen, purpose, declared, uses)
    return report


# `extra.name` or `extra["name"]` in a template, with what it takes of it (`.title`, `.amount`) and the filter it
# is given to (`| money`): a part of the council's own that the template asks for, and its shape
_EXTRA_USED = re.compile(r"""\bextra(?:\.([a-z][a-z0-9_]*)|\[\s*['"]([a-z][a-z0-9_]*)['"]\s*\])"""
                         r"""(?:\.(amount|per|title|lines)\b)?(?:\s*\|\s*(\w+))?""")


def _extra_uses(source: str) -> dict[str, set[str]]:
    """Each part of the council's own a template asks for, with how: "title", "lines", "amount|money" ..."""
    uses: dict[str, set[str]] = {}
    for first, second, taken, given_to in _EXTRA_USED.findall(source):
        uses.setdefault(first or second, set()).add(f"{taken}|{given_to}")
    return uses


def _stand_in(how: set[str]) -> ExtraPart | Money | Wording:
    """A stand-in of the shape the template uses: a titled part with words and an amount when it takes its title,
    lines or an amount it gives to the money filter; an amount when it gives the part to the money filter or takes
    its amount or period; else a few plain words."""
    money = Money(amount=Decimal("10"), per="week")
    if any(use.split("|")[0] in ("title", "lines") or use == "amount|money" for use in how):
        return ExtraPart(title="Some words", lines=[Wording(text="some words")], amount=money)
    if any(use.split("|")[0] in ("amount", "per") or use == "|money" for use in how):
        return money
    return Wording(text="some words")


def _with_stand_ins(given: Input, parts: set[str], uses: dict[str, set[str]]) -> Input:
    """The sample with a stand-in for each part of the council's own (`extra.name`) named, of the shape the
    template uses, so a template written for the council's own parts lints with the shipped samples."""
    stand_ins = {part: _stand_in(uses.get(part, set())) for part in sorted(parts)}
    return given.model_copy(update={"extra": {**stand_ins, **given.extra}})


def _add_minimal(report: Report, template: str | Path, kind: str, profile: Profile, purpose: str | None,
                 declared: list[str], uses: dict[str, set[str]]) -> None:
    """Render with the sample that fills no optional field too, and add the findings it alone has. It has only
    the council's own parts the template's header declares (`extra: name, other`): every input has those."""
    bare = kind_named(kind).sample_file(minimal=True, purpose=purpose)
    if bare is None:  # a kind whose package gives one sample only
        return
    try:
        document = compose(_with_stand_ins(load(bare), set(declared), uses), template=template, profile=profile)
    except TemplateError as err:
        raise TemplateError(f"{err.args[0]} (with the sample {bare.name}, which leaves every optional field "
                            "empty)") from None
    document._origin = None
    seen = {(finding.rule, finding.sentence) for finding in report.findings}
    extra = check(document, profile=profile, only=lambda sentence: sentence.template_text)
    # after the first sample's sentences, so each sentence's findings stay together
    report.findings += [replace(finding, position=finding.position + report.sentences) for finding in extra.findings
                        if finding.position >= 0 and (finding.rule, finding.sentence) not in seen]
    report.name = f"{document.template} (with the samples {sample_path(kind).name} and {bare.name})"


def _guess_kind(template: str | Path, profile: Profile) -> tuple[str, Document]:
    """The only kind whose shipped sample the template renders with, and that rendering; else a UsageError."""
    fits: dict[str, Document] = {}
    errors: dict[str, TemplateError] = {}
    for kind in samples():
        try:
            fits[kind] = compose(sample_path(kind), template=template, profile=profile)
        except TemplateError as err:
            errors[kind] = err
    if len(fits) == 1:
        return next(iter(fits.items()))
    if not fits and len({str(err) for err in errors.values()}) == 1:
        raise errors["plan"]  # the same mistake whatever the input (a syntax error, say): that is the news
    ask = (f"{template}: say which kind of input the template is for, with --kind {'|'.join(samples())} "
           "or a `kind:` line in its header")
    if fits:
        raise UsageError(f"{ask} (it renders with the {_and(list(fits))} samples alike)")
    raise UsageError(ask + " (it renders with none of the samples: "
                     + "; ".join(f"{kind}: {err}" for kind, err in errors.items()) + ")")


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)
