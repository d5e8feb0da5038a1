"""Secret files outside the database (the audit signing key, the master key): made once, 0600."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def ensure_secret_file(path: Path, make: Callable[[], str]) -> None:
    """Write make()'s text to path unless it exists; two processes racing keep the first one's."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it a moment ago: use that one
    with os.fdopen(fd, "w") as f:
        f.write(make() + "\n")
