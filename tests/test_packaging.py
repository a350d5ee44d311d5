"""Packaging: `pip install .` ships every file the package reads, not only its Python code."""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib

from tests.conftest import ROOT

PACKAGE = ROOT / "easyread"


def package_data() -> list[str]:
    """The package-data patterns for easyread in pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        config = tomllib.load(file)
    return config["tool"]["setuptools"]["package-data"]["easyread"]


def shipped(relative: str, patterns: list[str]) -> bool:
    """Whether a path (relative to easyread/, with /) matches a pattern as setuptools globs it:
    `*` and `?` stay within one folder, `**` spans any number of folders."""

    def match(parts: list[str], pattern: list[str]) -> bool:
        if not pattern:
            return not parts
        if pattern[0] == "**":
            return any(match(parts[i:], pattern[1:]) for i in range(len(parts) + 1))
        return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and match(parts[1:], pattern[1:])

    return any(match(relative.split("/"), pattern.split("/")) for pattern in patterns)


def data_files() -> list[str]:
    """Every file under easyread/ that is not Python code, relative to easyread/: the ones git tracks,
    or, outside a git checkout, the ones on disk."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", "easyread"], cwd=ROOT, capture_output=True,
                                check=True, timeout=60).stdout.decode().split("\0")
        files = [name.removeprefix("easyread/") for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        files = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*")
                 if path.is_file() and "__pycache__" not in path.parts]
    return sorted(name for name in files if not name.endswith((".py", ".pyc")))


def test_the_matcher_globs_as_setuptools_does():
    assert shipped("templates/document.typ", ["templates/*.typ"])
    assert not shipped("templates/document.typ", ["templates/*.j2"])
    assert not shipped("templates/more/document.typ", ["templates/*.typ"])  # * stays within one folder
    assert shipped("templates/more/document.typ", ["templates/**/*.typ"])
    assert not shipped("other/templates/document.typ", ["templates/*.typ"])


def test_every_data_file_in_the_package_is_in_package_data():
    files = data_files()
    assert "templates/document.typ" in files and "profiles/easy-read.yaml" in files
    missing = [name for name in files if not shipped(name, package_data())]
    assert missing == [], f"add these to [tool.setuptools.package-data] in pyproject.toml: {missing}"


def test_the_package_says_it_is_typed():
    assert (PACKAGE / "py.typed").is_file()
    assert shipped("py.typed", package_data())
