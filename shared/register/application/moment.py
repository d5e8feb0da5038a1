"""One register for one command: an upload asks the register many times (the catalogue, the provider's offerings,
its agreements, the cost approvals' social services), and each ask read the register's head again to see whether
it moved. Inside `one_register()` the first answer is held for the rest of the command.

The register held is the one the command started with, also across its optimistic retries: a register change
during one upload applies from the next upload, as it would had the change come a moment later. Reading only:
a command that changes the register reads it with `register()`, never from here."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_HELD: ContextVar[dict | None] = ContextVar("ami_register_held", default=None)


@contextmanager
def one_register() -> Iterator[None]:
    """Within: each Application's register is read once (see the module's docstring)."""
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


def held(app) -> object | None:
    """The register `app` answered with earlier in this command; None outside `one_register()` or at first."""
    holding = _HELD.get()
    return None if holding is None else holding.get(id(app))


def hold(app, register) -> None:
    """Keep `register` for the rest of the command (nothing outside `one_register()`)."""
    holding = _HELD.get()
    if holding is not None:
        holding[id(app)] = register
