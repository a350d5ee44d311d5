"""Hostile input (issue 13: items 4, 6, 8, 9 and 12) sent the way an attacker would send it: a real
`easyread` process bounded to 1 GB and 60 s of CPU (tests/hostile.py). Each case must end in exit 2
with one clear error line naming the problem, quickly: never a crash, a refusal (exit 1) or a
machine brought to its knees."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, PLAN
from tests.hostile import assert_clean_failure, run_bounded

PHOTO = EXAMPLES / "pictures" / "jordan.png"
LETTER = EXAMPLES / "jordan-review-letter.yaml"
SECONDS = 10  # of CPU, each case once the limits work: well under it (most take under a second; bench/hostile.py)

# The classic "billion laughs": 366 bytes that expand to 9^9 (387 million) values.
ALIAS_BOMB = "kind: plan\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{name}: &{name} [{','.join(['*' + previous] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)


def _plan(**changes: object) -> dict:
    """The small test plan with some top-level fields changed."""
    return {**copy.deepcopy(PLAN), **changes}


def _yaml(folder: Path, data: object, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _text(folder: Path, text: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _replace(folder: Path, old: str, new: str, name: str = "plan.yaml") -> Path:
    """The small plan as YAML, with one piece of its text replaced (to write what safe_dump cannot)."""
    text = yaml.safe_dump(_plan(), sort_keys=False, allow_unicode=True)
    assert old in text, old
    return _text(folder, text.replace(old, new, 1), name)


def _with_photo(folder: Path, file: str) -> Path:
    plan = _plan()
    plan["person"]["photo"] = {"file": file, "alt": "Ada in her garden"}
    return _yaml(folder / "plans", plan)


def _outside_photo(folder: Path) -> Path:
    """A real photo of someone else, in a folder beside (not inside) the plan's folder."""
    (folder / "plans").mkdir(exist_ok=True)
    (folder / "others").mkdir(exist_ok=True)
    shutil.copy(PHOTO, folder / "others" / "someone.png")
    return folder / "others" / "someone.png"


def _absolute_photo(folder: Path) -> Path:
    return _with_photo(folder, str(_outside_photo(folder)))


def _dotdot_photo(folder: Path) -> Path:
    _outside_photo(folder)
    return _with_photo(folder, "../others/someone.png")


def _symlinked_photo(folder: Path) -> Path:
    (folder / "plans").mkdir()
    (folder / "plans" / "ada.png").symlink_to(_outside_photo(folder))
    return _with_photo(folder, "ada.png")


def _duplicate_json_key(folder: Path) -> Path:
    text = json.dumps(_plan(), indent=2)
    text = text.replace('"known_as": "Ada",', '"known_as": "Ada",\n    "name": "Someone Else",', 1)
    return _text(folder, text, "plan.json")


def _meeting_ends_before_it_starts(folder: Path) -> Path:
    shutil.copytree(EXAMPLES / "pictures", folder / "pictures")
    text = LETTER.read_text(encoding="utf-8")
    assert 'end: "15:30"' in text  # "From 2pm to 1pm"
    return _text(folder, text.replace('end: "15:30"', 'end: "13:00"', 1), "letter.yaml")


# name: (makes the input in a folder, a word of the expected message)
CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "alias bomb": (lambda d: _text(d, ALIAS_BOMB), "values"),
    "too many aliases": (lambda d: _text(d, "kind: plan\nabout_me: [&x Hello, " + ", ".join(["*x"] * 101) + "]\n"),
                         "aliases"),
    "alias inside itself": (lambda d: _text(d, "kind: plan\nabout_me: &me [*me]\n"), "inside"),
    "deep JSON (10,000 levels)": (lambda d: _text(d, "[" * 10_000 + "]" * 10_000, "plan.json"), "nested"),
    "deep YAML (900 levels)": (lambda d: _text(d, "kind: plan\nabout_me: " + "[" * 900 + "]" * 900 + "\n"), "nested"),
    "deep YAML, block style": (lambda d: _text(d, "kind: plan\n" + "".join(" " * i + "a:\n" for i in range(100))),
                               "nested"),
    "3 MB file": (lambda d: _text(d, "kind: plan\nabout_me:\n" + "- I like my garden.\n" * 160_000), "bytes"),
    "10 MB field": (lambda d: _replace(d, "- I like gardening and my cat Pip.", "- " + "x" * 10_000_000), "bytes"),
    "25,000-character field": (lambda d: _yaml(d, _plan(strengths=["You can cook. " * 1800])), "characters"),
    "40,000 full stops": (lambda d: _yaml(d, _plan(strengths=["." * 40_000])), "characters"),
    "1,001 list items": (lambda d: _yaml(d, _plan(strengths=["You can cook."] * 1001)), "items"),
    "5,000-digit integer": (lambda d: _replace(d, "speech_rate_wpm: 130", "speech_rate_wpm: " + "9" * 5000), "digits"),
    "5,000-digit integer in JSON": (
        lambda d: _text(d, json.dumps(_plan()).replace('"speech_rate_wpm": 130', '"speech_rate_wpm": ' + "9" * 5000),
                        "plan.json"), "digits"),
    ".inf amount": (lambda d: _replace(d, "amount: '120.50'", "amount: !!float .inf"), "finite"),
    ".nan amount": (lambda d: _replace(d, "amount: '120.50'", "amount: !!float .nan"), "finite"),
    "NaN in JSON": (lambda d: _text(d, json.dumps(_plan()).replace('"120.50"', "NaN", 1), "plan.json"),
                    "NaN is not a finite number"),
    "complex key (a list)": (lambda d: _replace(d, "kind: plan\n", "kind: plan\n? [a, b]\n: c\n"), "key"),
    "complex key (a mapping)": (lambda d: _replace(d, "kind: plan\n", "kind: plan\n? {a: 1}\n: c\n"), "key"),
    "control character": (lambda d: _replace(d, "- You can make tea and toast.", '- "You can make tea\\a and toast."'),
                          "control character"),
    "control character in JSON": (
        lambda d: _text(d, json.dumps(_plan()).replace("make tea", "make\\u0000 tea"), "plan.json"), "control character"),
    "U+FFFF": (lambda d: _replace(d, "- You can make tea and toast.", '- "You can make tea\\uFFFF and toast."'),
               "U+FFFF"),
    "300-character title": (lambda d: _yaml(d, _plan(title="My plan " * 38)), "title"),
    "meeting ends before it starts": (_meeting_ends_before_it_starts, "must be after start"),
    "JSON duplicate key": (_duplicate_json_key, "twice"),
    "picture outside the folder (absolute)": (_absolute_photo, "inside the plan's folder"),
    "picture outside the folder (../)": (_dotdot_photo, "inside the plan's folder"),
    "picture outside the folder (symlink)": (_symlinked_photo, "inside the plan's folder"),
}


@pytest.fixture(scope="module", autouse=True)
def _word_tables():
    """Build the session's word tables once, here, so no timed run below pays for building them."""
    from easyread.language import lexicon

    lexicon.warm_up()


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_one_clear_error(case, tmp_path):
    make, needle = CASES[case]
    source = make(tmp_path)
    result = run_bounded("render", source, "--to", "txt", "-o", tmp_path / "out", cpu_seconds=SECONDS)
    assert_clean_failure(result, needle)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("case", ["alias bomb", "deep JSON (10,000 levels)", "control character", "U+FFFF",
                                  "JSON duplicate key", "meeting ends before it starts",
                                  "picture outside the folder (symlink)"])
def test_check_refuses_hostile_input_the_same_way(case, tmp_path):
    make, needle = CASES[case]
    assert_clean_failure(run_bounded("check", make(tmp_path)), needle)


def test_the_alias_bomb_is_small():
    assert len(ALIAS_BOMB.encode()) < 370


@pytest.mark.parametrize("text", ["." * 40_000, "!" * 40_000, "Wait" + "!." * 20_000 + " Go",
                                  "Dr. " * 10_000, ("Ring Dr Jo" + "." * 50 + " ") * 700])
def test_runs_of_full_stops_are_checked_quickly(text, tmp_path):
    source = _text(tmp_path, text, "dots.txt")
    result = run_bounded("check", source, cpu_seconds=SECONDS)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr[-2000:]


def test_a_long_field_within_the_limit_is_judged_quickly(tmp_path):
    # one 19,000-character word: a regex built with the word inside took minutes and gigabytes
    source = _yaml(tmp_path, _plan(strengths=["Zq" * 9_500, "Hard " + "xylophonic" * 1_900 + " words."]))
    result = run_bounded("check", source, cpu_seconds=SECONDS)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr[-2000:]


def test_a_good_plan_still_renders_under_the_bound(tmp_path):
    result = run_bounded("render", _yaml(tmp_path, _plan()), "--to", "txt", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
