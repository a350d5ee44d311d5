"""Hostile house styles, run the way an attacker would meet easyread: a real process, bounded in
memory and time, ending in exit 2 with one clear error, never a crash or a document."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES
from tests.hostile import assert_clean_failure, run_bounded

PLAN = EXAMPLES / "jordan-plan.yaml"


@pytest.mark.parametrize(("style", "needles"), [
    pytest.param({"name": "Evil Council", "font": "Arial; } body { background-image: url(http://127.0.0.1:9/x) }"},
                 ("font:", "is not a font name"), id="css-injection-font"),
    pytest.param({"name": "Evil Council", "font": "Arial</style><script>alert(1)</script>"},
                 ("font:", "is not a font name"), id="markup-in-font"),
    pytest.param({"name": "Big Council", "body_pt": 100000},
                 ("body_pt:", "expected a size in points, more than 0 and at most 72"), id="body-pt-100000"),
    pytest.param({"name": "Bell\u0007 Council"}, ("name:", "control character U+0007"), id="control-in-name"),
    pytest.param({"name": "Council", "contact": ["Civic Centre", "Phone \u001b 01632 960 000"]},
                 ("contact[1]:", "control character U+001B"), id="control-in-contact"),
])
def test_a_hostile_house_style_is_a_clean_failure(tmp_path, style, needles):
    house = tmp_path / "style.json"
    house.write_text(json.dumps(style), encoding="utf-8")
    out = tmp_path / "out"
    result = run_bounded("render", PLAN, "--to", "all", "--house-style", house, "-o", out)
    assert_clean_failure(result, *needles)
    assert not out.exists() or not any(out.iterdir())  # nothing written
