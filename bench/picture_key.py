"""How right the pictures are, against judged keys: python bench/picture_key.py [--dump] [PLANS_DIR KEYS_DIR]

A key (tests/picture_key/NAME.yaml) lists, for each statement of an example's easy-read
document, the pictures a person judged right by reading the sentence (`right: []` when no
picture fits) and those that would say the opposite (`opposite`). This prints, per document:
precision (pictures the key allows / pictures), coverage (statements with a picture /
statements), the most used picture's share, and every wrong or opposite picture.

`--dump` writes the statements of every example as a key skeleton for a person to judge;
`--write` also saves the report in bench/PICTURES.md, with the plans written by others (tests/picture_key/others).
With PLANS_DIR KEYS_DIR it scores other plans (each NAME.yaml plan beside keys/NAME.yaml):
plans written by someone else, to measure on text the vocabulary was not tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.composer import compose  # noqa: E402
from easyread.document import Document, Section, Statement, pictured_blocks  # noqa: E402
from easyread.inputs.loader import load, read_yaml  # noqa: E402
from easyread.picture_review import score  # noqa: E402

EXAMPLES = ROOT / "examples"
KEYS = ROOT / "tests" / "picture_key"
OTHERS = KEYS / "others"  # plans written by others, with their strictly judged keys


def documents(plans: Path) -> list[Path]:
    """Every plan, review and letter in a folder (the too-dense example included: it still has pictures)."""
    return sorted(path for path in plans.glob("*.yaml"))


def compose_for_key(path: Path) -> Document:
    """The easy-read Document of a plan, with symbols even where the person asked for photos: the key judges symbols."""
    loaded = load(path)
    needs = loaded.person.information_needs.model_copy(update={"pictures": "symbols"})
    loaded = loaded.model_copy(update={"person": loaded.person.model_copy(update={"information_needs": needs})})
    return compose(loaded, profile="easy-read")


def dump(plans: Path) -> None:
    """Print a key skeleton: every statement once, with its section, for a person to judge."""
    for path in documents(plans):
        print(f"# ---- {path.name}")
        seen = set()
        section = ""
        for block in pictured_blocks(compose_for_key(path)):
            if isinstance(block, Section):
                section = block.title
            elif isinstance(block, Statement) and block.text not in seen:
                seen.add(block.text)
                print(f"- text: {block.text!r}\n  section: {section!r}\n  right: []")


def report(plans: Path, keys: Path, out: list[str] | None = None) -> int:
    """Score every plan that has a key; print (and add to `out`) the figures; return 1 if any misses the targets."""
    def say(line: str) -> None:
        print(line)
        if out is not None:
            out.append(line)

    totals = [0, 0, 0, 0]
    failed = False
    for path in documents(plans):
        key_file = keys / path.name
        if not key_file.exists():
            continue
        document = compose_for_key(path)
        result = score(document, read_yaml(key_file.read_text(encoding="utf-8")))
        totals = [a + b for a, b in zip(totals, (result.statements, result.pictured, result.right,
                                                  len(result.opposite)))]
        say(f"{path.name:28} statements {result.statements:3}  pictured {result.pictured:3} "
              f"({result.coverage:.0%})  right {result.right:3} (precision {result.precision:.1%})  "
              f"most used :{result.most_used[0]}: {result.most_used[1]:.0%}  opposite {len(result.opposite)}")
        for line in result.opposite:
            say(f"    OPPOSITE {line}")
        for line in result.wrong:
            words, _, picture = line.rpartition(" -> ")
            say(f"    wrong    {words[:110]}{'...' if len(words) > 110 else ''} -> {picture}")
        for line in result.unjudged:
            say(f"    unjudged {line!r}")
        failed = failed or result.most_used[1] > 0.10 or bool(result.unjudged)
    statements, pictured, right, opposite = totals
    precision = right / pictured if pictured else 1.0
    coverage = pictured / statements if statements else 0.0
    say(f"{'all':28} statements {statements:3}  pictured {pictured:3} ({coverage:.0%})  right {right:3} "
          f"(precision {precision:.1%})  opposite {opposite}")
    return int(failed or precision < 0.95 or coverage < 0.70 or opposite > 0)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(arguments[0]) if arguments else EXAMPLES
    if "--dump" in sys.argv:
        dump(folder)
    else:
        lines: list[str] = []
        failed = report(folder, Path(arguments[1]) if len(arguments) > 1 else KEYS, lines)
        if "--write" in sys.argv:
            others: list[str] = []
            print()
            report(OTHERS, OTHERS / "keys", others)
            (ROOT / "bench" / "PICTURES.md").write_text(
                "# Pictures against the judged keys\n\nMade by `python bench/picture_key.py --write`: precision is the "
                "share of pictures the key allows, coverage the share of statements with a picture.\n\n"
                "## The shipped examples\n\n```\n" + "\n".join(lines) + "\n```\n\n"
                "## Plans written by others, judged strictly (a generic picture is a miss)\n\n"
                "Written from the docs by people who had not read the chooser; each statement judged by someone "
                "else who had not seen its picture. The goal is 90%.\n\n```\n" + "\n".join(others) + "\n```\n",
                encoding="utf-8")
        sys.exit(failed)
