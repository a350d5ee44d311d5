"""The public API as a developer meets it: names that stay functions, rendering to memory, threads, typing."""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import easyread
from easyread.errors import EasyReadError, InputError
from tests.conftest import EXAMPLES, PLAN, ROOT

EVERY_FORMAT = ["txt", "json", "docx", "pdf", "html", "speech.txt", "mp3", "wav"]


def run_python(code: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
               timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run some Python in a fresh interpreter (nothing imported or warmed up yet)."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def readme_snippet() -> str:
    """The Python block of the README's "For developers" section."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## For developers", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


# --- names -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_readme_snippet_runs_three_times_in_one_process(tmp_path):
    (tmp_path / "examples").symlink_to(EXAMPLES)
    snippet = readme_snippet()
    loop = "for _ in range(3):\n" + "".join(f"    {line}\n" for line in snippet.splitlines())
    done = run_python(loop + "print(len(pdf) > 10000, sorted(p.name for p in __import__('pathlib').Path('out').iterdir()))",
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "True ['jordan-plan.json', 'jordan-plan.txt']"


@pytest.mark.slow
def test_public_names_stay_functions_after_use():
    code = """
import easyread
plan = easyread.load('examples/jordan-plan.yaml')
easyread.check(easyread.compose(plan))
easyread.render_bytes(plan, formats=['txt'])
import easyread.inputs.loader, easyread.composer, easyread.pipeline  # importing the submodules changes nothing
from easyread import load, compose, check, render, render_bytes
import inspect
print(all(inspect.isfunction(f) for f in (load, compose, check, render, render_bytes, easyread.load, easyread.compose)))
print(easyread.batch.render_many.__name__)
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "render_many"]


def test_no_public_name_is_a_submodule():
    submodules = {module.name for module in pkgutil.iter_modules(easyread.__path__)}
    assert not submodules & set(easyread.__all__)
    for name in easyread.__all__:
        assert not isinstance(getattr(easyread, name), type(os)), name


def test_what_type_checkers_see_is_what_is_exported():
    tree = ast.parse((ROOT / "easyread" / "__init__.py").read_text())
    checking = next(node for node in tree.body if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test))
    seen = {alias.name: node.module for node in ast.walk(checking) if isinstance(node, ast.ImportFrom)
            for alias in node.names}
    assert seen == easyread._EXPORTS
    assert sorted(easyread.__all__) == sorted(easyread._EXPORTS)


def test_every_error_the_api_raises_is_exported():
    import easyread.errors as errors

    raised = {name for name, value in vars(errors).items()
              if isinstance(value, type) and issubclass(value, EasyReadError)}
    assert raised <= set(easyread.__all__)
    assert {"UsageError", "InstallError", "Problem"} <= set(easyread.__all__)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        easyread.nothing_here  # noqa: B018


# --- the input -------------------------------------------------------------------------------

def test_render_bytes_takes_a_model_a_dict_a_path_yaml_text_and_json_text(plan, write):
    path = write("ada.yaml", plan)
    text = path.read_text()
    as_json = json.dumps(plan)
    sources = [easyread.load(plan), plan, path, str(path), text, as_json, as_json.encode()]
    made = [easyread.render_bytes(source, formats=["txt"]).content("txt") for source in sources]
    assert len(set(made)) == 1 and b"Ada" in made[0]


def test_a_json_string_is_never_taken_for_a_file_name(plan):
    with pytest.raises(InputError) as excinfo:
        easyread.load(json.dumps({"kind": "plan"}))
    assert "file not found" not in str(excinfo.value) and "is required but missing" in str(excinfo.value)


@pytest.mark.parametrize("source", [None, ["kind: plan"], 42])
def test_a_list_none_or_number_is_one_clear_input_error(source):
    with pytest.raises(InputError, match="expected a plan, review, letter, one-page profile or hospital passport .*got"):
        easyread.render_bytes(source, formats=["txt"])


def test_parameters_after_the_source_are_keyword_only(plan):
    for function in (easyread.render, easyread.render_bytes, easyread.compose):
        with pytest.raises(TypeError, match="positional argument"):
            function(plan, ["txt"])
    with pytest.raises(TypeError, match="positional argument"):
        easyread.check(easyread.compose(plan), "easy-read")


def test_a_string_of_formats_is_a_usage_error(plan):
    with pytest.raises(easyread.UsageError, match="list of format names"):
        easyread.render_bytes(plan, formats="pdf")


# --- rendering to memory ----------------------------------------------------------------------

RENDER_IN_MEMORY = """
import json, sys
import easyread
done = easyread.render_bytes(sys.argv[1], formats=sys.argv[2].split(","))
print(json.dumps({fmt: len(data) for fmt, data in done.files.items()}))
"""


@pytest.mark.slow
def test_render_bytes_makes_every_format_without_writing_a_file(tmp_path):
    work, temporary = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    temporary.mkdir()
    done = run_python(RENDER_IN_MEMORY, str(EXAMPLES / "jordan-review-letter.yaml"), ",".join(EVERY_FORMAT),
                      cwd=work, env={"TMPDIR": str(temporary)})
    assert done.returncode == 0, done.stderr
    sizes = json.loads(done.stdout)
    assert list(sizes) == EVERY_FORMAT and all(size > 1000 for size in sizes.values())
    assert not list(work.iterdir()) and not list(temporary.iterdir())  # nothing but the cache was touched


@pytest.mark.slow
def test_the_bytes_are_the_files(plan, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # outputs made at one known time are identical
    in_memory = easyread.render_bytes(plan, formats=["txt", "docx", "pdf", "html", "json"])
    on_disk = easyread.render(plan, formats=["txt", "docx", "pdf", "html", "json"], outdir=tmp_path)
    assert [p.name for p in on_disk.paths] == [in_memory.filename(f) for f in in_memory.formats]
    assert all(path.read_bytes() == in_memory.content(fmt) for fmt, path in zip(in_memory.formats, on_disk.paths))
    assert in_memory.media_type("docx").startswith("application/vnd.openxmlformats")
    with pytest.raises(easyread.UsageError, match="'mp3' was not rendered"):
        in_memory.content("mp3")


def test_json_output_holds_no_local_paths(tmp_path):
    done = easyread.render_bytes(EXAMPLES / "jordan-plan.yaml", formats=["json"])
    text = done.content("json").decode()
    assert str(ROOT) not in text and str(Path.home()) not in text and '"file":' not in text
    photos = [ref for ref in json.loads(text)["symbols"].values() if ref["source"] == "photo"]
    assert photos and all(ref["file_name"] and "/" not in ref["file_name"] for ref in photos)
    assert done.document.symbols[photos[0]["name"]].file  # the writers still know where it is


def test_a_missing_layout_is_an_install_error_with_exit_2(plan, write, tmp_path, monkeypatch):
    from easyread.writers import pdf

    monkeypatch.setattr(pdf, "LAYOUT", ("templates", "lost-in-a-broken-install.typ"))
    done = easyread.render(plan, formats=["txt", "pdf"], outdir=tmp_path / "out")
    assert [p.name for p in done.paths] == ["document.txt"]
    assert "PDF layout" in done.unavailable[0] and "reinstall easyread" in done.unavailable[0]


# --- threads ---------------------------------------------------------------------------------

SHORT_TEMPLATE = """{#---
kind: plan
description: A short plan, so that many renders in every format stay quick.
---#}
# {{ person.called }}'s short plan

## :home: About you
{% for words in about_me %}
> {{ words }}
{% endfor %}
:calendar: This plan starts on {{ date | date }}.

## :calendar: Your week
@table Your week
| Day | Time | What you do |
{% for slot in timetable | by_day %}
| {{ slot.day }} | {{ slot.start | time }} | {{ slot.activity }} |
{% endfor %}

## :phone: Who to ring
@contact :phone:
name: {{ worker.name }}
phone: {{ worker.phone }}

"""

THREADS = """
import hashlib, json, sys, threading
import easyread
plans, template = json.loads(sys.argv[1]), sys.argv[2]
formats = json.loads(sys.argv[3])
shared = easyread.Renderer(template=template)

def digest(index, thread):
    profile = ("easy-read", "large-print")[index % 2]
    if thread % 2:  # half the threads share one Renderer, half call the module's function
        done = shared.render_bytes(plans[index], formats=formats, profile=profile)
    else:
        done = easyread.render_bytes(plans[index], formats=formats, profile=profile, template=template)
    return {fmt: hashlib.sha256(done.content(fmt)).hexdigest() for fmt in formats}

results, errors = [], []
def work(thread):
    for step in range(20):
        index = (step + 5 * thread) % 20
        try:
            results.append((index, digest(index, thread)))
        except BaseException as err:
            errors.append(f"{type(err).__name__}: {err}")

threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
serial = [digest(index, 0) for index in range(20)]
mismatches = [(index, fmt) for index, made in results for fmt in formats if made[fmt] != serial[index][fmt]]
print(json.dumps({"renders": len(results), "errors": errors, "mismatches": mismatches}))
"""

NAMES = ["Ada Lovelock", "Bilal Shah", "Chloe Dunn", "Dev Patel", "Eilidh Ross", "Femi Adeyemi", "Grace Hall",
         "Hamza Noor", "Iris Quinn", "Jack Wood", "Kezia Obi", "Liam Byrne", "Maya Levi", "Nia Price", "Omar Aziz",
         "Pat Kelly", "Rosa Diaz", "Sam Cole", "Tara Singh", "Uma Bose"]


def short_plans() -> list[dict]:
    """20 different people's plans."""
    made = []
    for number, name in enumerate(NAMES):
        plan = json.loads(json.dumps(PLAN))
        plan["person"] = {"name": name, "known_as": name.split()[0],
                          "information_needs": {"formats": ["easy-read"], "speech_rate_wpm": 120 + number}}
        plan["about_me"] = [f"I like {thing}." for thing in ("cats", "football", "music", "walks")[: number % 4 + 1]]
        plan["timetable"][0]["activity"] = f"Cooking tea number {number + 1}"
        made.append(plan)
    return made


@pytest.mark.slow
def test_renders_in_4_threads_from_a_cold_start_match_serial_renders(tmp_path):
    # 4 threads x 20 renders of different plans in every format, in a fresh process with an empty
    # cache; each result must be byte for byte what a render on its own makes.
    template = tmp_path / "short.md.j2"
    template.write_text(SHORT_TEMPLATE, encoding="utf-8")
    done = run_python(THREADS, json.dumps(short_plans()), str(template), json.dumps(EVERY_FORMAT), timeout=600,
                      env={"EASYREAD_CACHE_DIR": str(tmp_path / "cold-cache"), "SOURCE_DATE_EPOCH": "1767225600"})
    assert done.returncode == 0, done.stderr[-3000:]  # a crash (double free, abort) shows here
    outcome = json.loads(done.stdout)
    assert outcome["errors"] == [] and outcome["renders"] == 80
    assert outcome["mismatches"] == []


@pytest.mark.slow
def test_a_render_changes_nothing_in_the_process(plan, tmp_path):
    import signal

    before = (os.getcwd(), os.umask(0o022), signal.getsignal(signal.SIGINT), sys.stdout, sys.stderr)
    os.umask(before[1])
    easyread.render(plan, formats=["txt", "mp3"], outdir=tmp_path)
    after = (os.getcwd(), os.umask(0o022), signal.getsignal(signal.SIGINT), sys.stdout, sys.stderr)
    os.umask(after[1])
    assert before == after
    assert oct((tmp_path / "document.txt").stat().st_mode & 0o777) == oct(0o666 & ~before[1])


# --- typing ----------------------------------------------------------------------------------

def test_the_typing_example_runs():
    done = subprocess.run([sys.executable, "tests/typing_example.py"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def test_mypy_strict_passes_on_the_package_and_the_typing_example(tmp_path):
    # [tool.mypy] in pyproject.toml: strict, on the package and the typing example
    done = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "Success: no issues found" in done.stdout
