"""The shape of the code: the stages' layers hold (import-linter), no module imports itself through
others (an import circle), and ruff finds nothing, so each stage can be read, tested and changed on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_contract_holds() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def import_circles(graph, modules: set[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return circles


def test_no_module_imports_itself_through_others() -> None:
    import grimp

    graph = grimp.build_graph("easyread", exclude_type_checking_imports=False)  # type hints count too
    assert import_circles(graph, set(graph.modules)) == []


def test_ruff_finds_nothing() -> None:
    ruff = Path(sys.executable).parent / "ruff"  # [tool.ruff] in pyproject.toml
    result = subprocess.run([str(ruff), "check", "--no-cache", "easyread", "tests", "bench", "scripts"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_every_visitor_handles_every_kind_of_block() -> None:
    import importlib
    import inspect
    import pkgutil

    import easyread
    from easyread.document import Visitor

    for module in pkgutil.walk_packages(easyread.__path__, "easyread."):
        if module.name not in ("easyread.service", "easyread.writers.natural"):  # optional extras
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [found for sub in cls.__subclasses__() for found in (sub, *subclasses(sub))]

    visitors = subclasses(Visitor)
    assert len(visitors) >= 8  # the gate's, the pictures', the speech script's and the writers'
    made = [cls for cls in visitors if not cls.__subclasses__()]  # a base such as DataModel leaves some to its own
    assert [cls.__qualname__ for cls in made if inspect.isabstract(cls)] == []


@pytest.mark.slow
def test_a_visitor_that_misses_a_kind_of_block_fails_mypy(tmp_path: Path) -> None:
    example = tmp_path / "missing.py"
    example.write_text(
        "from easyread.document import Agreement, ContactCard, Glossary, ListBlock, Quote, Section, Statement, Table\n"
        "from easyread.document import Visitor\n\n\n"
        "class Words(Visitor[str]):\n"
        "    def statement(self, block: Statement) -> str: return block.text\n"
        "    def quote(self, block: Quote) -> str: return block.text\n"
        "    def listing(self, block: ListBlock) -> str: return ''\n"
        "    def table(self, block: Table) -> str: return ''\n"
        "    def glossary(self, block: Glossary) -> str: return ''\n"
        "    def contact(self, block: ContactCard) -> str: return ''\n"
        "    def section(self, block: Section) -> str: return ''\n\n\n"
        "Words()\n")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                             str(example)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert 'Cannot instantiate abstract class "Words" with abstract attribute "agreement"' in result.stdout
