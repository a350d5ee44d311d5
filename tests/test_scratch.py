"""Scratch folders: a killed render's copies of a person's photos do not stay on the machine."""

from __future__ import annotations

import os
import tempfile
import time

from easyread import scratch


def test_a_killed_processs_old_scratch_folders_are_swept_and_live_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(scratch, "_swept", {})
    old, fresh, other = tmp_path / "easyread-pdf-old1", tmp_path / "easyread-pdf-new1", tmp_path / "someone-else-old"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "picture-1.png").write_bytes(b"a person's photo")
    hours_ago = time.time() - 2 * 3600
    for folder in (old, other):
        os.utime(folder, (hours_ago, hours_ago))
    with scratch.scratch_folder("easyread-pdf-") as folder:
        assert folder.is_dir() and oct(folder.stat().st_mode & 0o777) == oct(0o700)
    assert not old.exists() and fresh.exists() and other.exists()  # only ours, and only old ones
    assert not folder.exists()
