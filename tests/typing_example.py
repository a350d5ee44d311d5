"""How a developer's code uses easyread's public API, checked with `mypy --strict` (tests/test_api.py).

Every `assert_type` proves the API gives a real type, not Any. The test suite also runs
this file, so it must work as well as type-check.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import assert_type

import easyread
from easyread import (
    Batch,
    Document,
    EasyReadError,
    Finding,
    HospitalPassport,
    HouseStyle,
    Input,
    InputError,
    InstallError,
    Job,
    Letter,
    Location,
    OnePageProfile,
    Outcome,
    OutputError,
    Plan,
    Problem,
    Profile,
    Rendered,
    Renderer,
    Report,
    Review,
    TemplateError,
    TooDenseError,
    UsageError,
    WriterUnavailable,
    check,
    check_text,
    compose,
    get_profile,
    jobs_from,
    load,
    load_house_style,
    render,
    render_bytes,
    render_many,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    """Use every public name the way an integration would."""
    plan = load(EXAMPLES / "jordan-plan.yaml")
    assert_type(plan, Plan | Review | Letter | OnePageProfile | HospitalPassport)
    assert_type(plan, Input)
    assert_type(load((EXAMPLES / "jordan-plan.yaml").read_text()), Input)  # YAML text too
    document = compose(plan, profile="easy-read")
    assert_type(document, Document)
    report = check(document)
    assert_type(report, Report)
    assert_type(report.refused, bool)
    for finding in report.findings:
        assert_type(finding, Finding)
        assert_type(finding.source, Location)
        assert_type(finding.source.line, int | None)
        assert_type(finding.numbers, dict[str, int | float])
    assert_type(check_text("You can go out.", profile="easy-read"), Report)

    profile = get_profile("large-print")
    assert_type(profile, Profile)
    style = load_house_style(EXAMPLES / "house-style" / "northmoor.yaml")
    assert_type(style, HouseStyle)

    done = render_bytes(plan, formats=["txt", "pdf"], house_style=style)
    assert_type(done, Rendered)
    assert_type(done.content("pdf"), bytes)
    assert_type(done.files, dict[str, bytes])
    assert_type(done.media_type("pdf"), str)
    assert_type(done.filename("pdf"), str)

    spoken = render_bytes(plan, formats=["txt"], voice="british")
    assert_type(spoken.voice, str | None)  # None: no audio format was made

    renderer = Renderer(profile=profile, house_style=style, voice="natural")
    assert_type(renderer.render_bytes(plan, formats=["txt"]), Rendered)
    assert_type(renderer.compose(plan), Document)
    with tempfile.TemporaryDirectory() as folder:
        written = render(plan, formats=["txt"], outdir=folder)
        assert_type(written.paths, list[Path])
        jobs = jobs_from([str(EXAMPLES / "jordan-plan.yaml")])
        assert_type(jobs, list[Job])
        batch = render_many(jobs, {"formats": ["txt"], "outdir": folder}, workers=1)
        assert_type(batch, Batch)
        assert_type(batch.outcomes, list[Outcome])

    try:
        load({"kind": "plan"})
    except InputError as err:
        assert_type(err.problems, list[Problem])
    try:
        render_bytes(plan, formats=["nope"])
    except UsageError:
        pass
    for error in (EasyReadError, TemplateError, OutputError, InstallError, WriterUnavailable):
        assert issubclass(error, EasyReadError)
    try:
        render_bytes(EXAMPLES / "too-dense-plan.yaml", formats=["txt"])
    except TooDenseError as err:
        assert_type(err.report, Report)
    assert_type(easyread.__version__, str)


if __name__ == "__main__":
    main()
    sys.stdout.write("ok\n")
