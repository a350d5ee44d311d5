"""Calibrate the readability gate on ../shared/corpus (real published text, never copied here).

    python bench/calibrate.py [CORPUS_DIR] [-v]

Prints, for each dev file, the decision under each profile against what it should be,
the scores, and the refusing rules; then the grade ordering of the OneStopEnglish
triples (elementary < intermediate < advanced). -v lists every refusal.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.readability import check_text  # noqa: E402

# folder -> what each profile should decide ("pass" or "refuse")
EXPECTED = {
    "easyread": {"easy-read": "pass"},
    "dense": {"easy-read": "refuse", "large-print": "refuse"},
    "plain": {"easy-read": "refuse", "large-print": "pass"},
}


def main(corpus: Path, verbose: bool) -> int:
    wrong = 0
    print(f"{'file':<42} {'profile':<12} {'want':<7} {'got':<7} {'FRE':>6} {'FKGL':>5} {'SMOG':>5}  refusing rules")
    for folder, wants in EXPECTED.items():
        for path in sorted((corpus / "dev" / folder).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            for profile, want in wants.items():
                report = check_text(text, profile=profile, name=path.name)
                got = "refuse" if report.refused else "pass"
                wrong += got != want
                rules = Counter(f.rule for f in report.refusals)
                s = report.scores
                mark = "" if got == want else "  <-- WRONG"
                print(f"{folder + '/' + path.name:<42} {profile:<12} {want:<7} {got:<7} {s.flesch_reading_ease:6.1f} "
                      f"{s.flesch_kincaid_grade:5.1f} {s.smog:5.1f}  {dict(rules)}{mark}")
                if verbose:
                    for finding in report.refusals:
                        print(f"    {finding.rule}: {finding.message} | {finding.sentence[:90]}")
    ordered = 0
    rows = []
    for n in range(1, 16):
        grades = []
        for level in ("ele", "int", "adv"):
            report = check_text((corpus / "onestopenglish" / f"{level}_{n:02d}.txt").read_text(encoding="utf-8"), profile="large-print")
            grades.append(report.scores.flesch_kincaid_grade)
        good = grades[0] < grades[1] < grades[2]
        ordered += good
        rows.append(f"  {n:02d}: ele {grades[0]:5.1f} < int {grades[1]:5.1f} < adv {grades[2]:5.1f}  {'ok' if good else 'OUT OF ORDER'}")
    print("\nOneStopEnglish Flesch-Kincaid grade by level:")
    print("\n".join(rows))
    print(f"\ndev decisions wrong: {wrong}; OneStopEnglish triples in order: {ordered} of 15 (goal >= 13)")
    return 1 if wrong or ordered < 13 else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    sys.exit(main(Path(args[0]) if args else ROOT.parent / "shared" / "corpus", "-v" in sys.argv))
