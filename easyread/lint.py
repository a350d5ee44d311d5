"""Template lint: check a template's own wording before any person's plan goes through it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from easyread.composer import compose, header, resolve_template
from easyread.errors import UsageError
from easyread.profile import Profile, get_profile
from easyread.readability import Report, check

SAMPLES = ("plan", "review", "letter")


def sample_path(kind: str) -> Path:
    """The shipped sample input for a kind of template."""
    return Path(str(resources.files(__package__).joinpath("samples", f"{kind}.yaml")))


def lint(template: str | Path, profile: str | Path | Profile = "easy-read", sample: str | Path | None = None,
         kind: str | None = None) -> Report:
    """Render a template with a sample input and judge only the sentences its own wording is part of."""
    chosen = get_profile(profile)
    if sample is None:
        env, name = resolve_template(template, kind or "plan")
        kind = kind or header(env.loader.get_source(env, name)[0]).get("kind")
        if kind not in SAMPLES:
            raise UsageError(f"{template}: say which kind of input the template is for, with --kind plan|review|letter "
                             "or a `kind:` line in its header")
        sample = sample_path(kind)
    document = compose(sample, template=template, profile=chosen)
    report = check(document, profile=chosen, only=lambda sentence: sentence.template_text)
    report.name = f"{document.template} (with the sample {Path(str(sample)).name})"
    return report
