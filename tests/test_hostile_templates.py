"""Hostile templates, pictures and caches (issue 13: items 8, 10 and 13) sent the way an attacker would
send them: a real `easyread render` bounded to 1 GB and 60 s of CPU (tests/hostile.py). Each case must
end in exit 2 with one clear error line naming the problem, quickly: never a crash, a traceback, exit 1
or 3, or a machine brought to its knees."""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import marshal
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
import yaml
from PIL import Image

from tests.conftest import PLAN
from tests.hostile import assert_clean_failure, run_bounded

SECONDS = 15  # of CPU, each case once the limits work: most take a second or two


def _plan(folder: Path, photo: str | None = None) -> Path:
    plan = copy.deepcopy(PLAN)
    if photo:
        plan["person"]["photo"] = {"file": photo, "alt": "Ada in her garden"}
    path = folder / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    return path


def _template(folder: Path, text: str, name: str = "evil.md.j2") -> list[str]:
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / name).write_text(text, encoding="utf-8")
    return [str(_plan(folder)), "--template", str(folder / "templates" / name)]


def _symbols(folder: Path, name: str, svg: bytes) -> list[str]:
    (folder / "symbols").mkdir()
    (folder / "symbols" / name).write_bytes(svg)
    return [str(_plan(folder)), "--symbols", str(folder / "symbols")]


def _link_out(folder: Path) -> list[str]:
    args = _template(folder, '# T\n{% include "passwd.md.j2" %}\n')
    (folder / "templates" / "passwd.md.j2").symlink_to("/etc/passwd")
    return args


def _deep_png(folder: Path) -> list[str]:
    # 6,324 x 6,324 at 16 bits: 40 megapixels, just under the old 40-megapixel check; 543 MB in the PDF
    Image.new("I;16", (6324, 6324)).save(folder / "ada.png")
    return [str(_plan(folder, "ada.png"))]


def _fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "ada.png")
    return [str(_plan(folder, "ada.png"))]


def _big_svg() -> bytes:
    circles = b'<circle cx="5" cy="5" r="4" fill="red"/>' * 30_000  # 1.2 MB of real drawing
    return b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">' + circles + b"</svg>"


def _nested_svg() -> bytes:
    # an SVG inside an SVG, gzipped: 29 MB of drawing in a few dozen KB
    inner = b'<svg xmlns="http://www.w3.org/2000/svg">' + b'<rect width="1" height="1"/>' * 1_000_000 + b"</svg>"
    uri = b"data:image/svg+xml;base64," + base64.b64encode(gzip.compress(inner, 9))
    return (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
            b'<image width="10" height="10" xlink:href="' + uri + b'"/></svg>')


def _use_bomb() -> bytes:
    # 10 uses of 10 uses of ... 8 deep: 100 million circles from 2 KB
    groups = "".join(f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 9))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><circle id="l0" r="1"/>{groups}'
            '</defs><use href="#l8"/></svg>').encode()


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "'a' * 10**9": (lambda d: _template(d, '# T\n{{ "a" * 10**9 }}\n'), "too big"),
    "join bomb": (lambda d: _template(d, '# T\n{{ range(100000) | map("string") | join("x" * 100000) }}\n'),
                  "too big"),
    "power bomb": (lambda d: _template(d, "# T\n{{ 7 ** (10 ** 9) }}\n"), "digits"),
    "~ doubling": (lambda d: _template(d, '# T\n{% set ns = namespace(s="x") %}{% for i in range(64) %}'
                                          "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}\n"), "too big"),
    "printed list of copies": (lambda d: _template(d, '# T\n{% set s = "x" * 4000000 %}{{ [s, s, s, s, s, s] }}\n'),
                               "too big"),
    "format width": (lambda d: _template(d, '# T\n{{ "%999999999d" % 1 }}\n'), "too big"),
    "output of a loop": (lambda d: _template(d, "# T\n{% for i in range(100000) %}{% for j in range(100000) %}"
                                                "{{ 'abcdefghij' }}{% endfor %}{% endfor %}\n"), "too big"),
    "macro recursion": (lambda d: _template(d, "# T\n{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}\n"),
                        "calls itself too deeply"),
    "include of a link out of the folder": (_link_out, "outside its folder"),
    "SVG over 1 MB": (lambda d: _symbols(d, "doctor.svg", _big_svg()), "must be under"),
    "SVG with a gzipped SVG inside": (lambda d: _symbols(d, "doctor.svg", _nested_svg()), "data: URI"),
    "SVG <use> bomb": (lambda d: _symbols(d, "doctor.svg", _use_bomb()), "<use>"),
    "16-bit PNG": (_deep_png, "16 bits"),
    "FIFO photo": (_fifo, "named pipe"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_template_or_picture_is_one_clear_error(case, tmp_path):
    make, needle = CASES[case]
    args = make(tmp_path)
    result = run_bounded("render", *args, "--to", "txt", "-o", tmp_path / "out", cpu_seconds=SECONDS)
    assert_clean_failure(result, needle)
    assert not (tmp_path / "out").exists()


def test_a_template_that_loops_for_long_is_stopped_by_the_time_limit(tmp_path):
    args = _template(tmp_path, "# T\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n")
    result = run_bounded("render", *args, "--to", "txt", "-o", tmp_path / "out", env={"EASYREAD_TEMPLATE_SECONDS": "1"},
                         cpu_seconds=SECONDS)
    assert_clean_failure(result, "took longer than 1 seconds")


def test_the_time_limit_cannot_be_raised_from_outside():
    from easyread.composer import template_seconds
    from easyread.inputs.limits import TEMPLATE_SECONDS

    for asked, expected in (("1", 1.0), ("0.25", 0.25), ("999", TEMPLATE_SECONDS), ("inf", TEMPLATE_SECONDS),
                            ("nan", TEMPLATE_SECONDS), ("-5", TEMPLATE_SECONDS), ("0", TEMPLATE_SECONDS),
                            ("soon", TEMPLATE_SECONDS), ("", TEMPLATE_SECONDS)):
        os.environ["EASYREAD_TEMPLATE_SECONDS"] = asked
        try:
            assert template_seconds() == expected, asked
        finally:
            del os.environ["EASYREAD_TEMPLATE_SECONDS"]


def _poison(cache: Path, template: Path, marker: Path) -> int:
    """Write compiled-template files that create `marker` when loaded, where Jinja2 would look for the template."""
    source = template.read_text(encoding="utf-8")
    key = jinja2.FileSystemBytecodeCache().get_cache_key(template.name, os.path.normpath(template))
    code = compile(f"open({str(marker)!r}, 'w').write('ran')\n", str(template), "exec")
    data = (jinja2.bccache.bc_magic + pickle.dumps(hashlib.sha1(source.encode()).hexdigest(), 2)
            + marshal.dumps(code))
    folders = [path for path in (cache / "templates").iterdir() if path.is_dir()]
    for folder in folders:
        for name in (f"__jinja2_{key}.cache", f"{key}.cache"):  # Jinja2's file name, and easyread's
            (folder / name).write_bytes(data)
    return len(folders)


def test_a_poisoned_template_cache_is_not_run(tmp_path):
    cache, marker = tmp_path / "cache", tmp_path / "ran"
    args = _template(tmp_path, "# Hello\n\nYou are {{ person.called }}.\n", name="mine.md.j2")
    template = (tmp_path / "templates" / "mine.md.j2").resolve()
    env = {"EASYREAD_CACHE_DIR": str(cache)}
    first = run_bounded("render", *args, "--to", "txt", "-o", tmp_path / "out", env=env)
    assert first.returncode == 0, first.stderr
    assert _poison(cache, template, marker) >= 1
    second = run_bounded("render", *args, "--to", "txt", "-o", tmp_path / "out2", env=env)
    assert not marker.exists(), "a cache file someone else wrote was run as code"
    assert second.returncode == 0, second.stderr
    assert "You are Ada." in (tmp_path / "out2" / "plan.txt").read_text(encoding="utf-8")
