"""Passwords: argon2 hashes that verify, and no more hashed at once than the machine has cores (a crowd of logins
must not push every page off the cores)."""
from __future__ import annotations

import os
import threading
import time

from shared.access.domain import roles


def test_a_hash_verifies_its_password_only():
    hashed = roles.hash_password("richtiges-passwort-2025")
    assert roles.verify_password(hashed, "richtiges-passwort-2025")
    assert not roles.verify_password(hashed, "falsches-passwort-2025")
    assert not roles.verify_password("kein-hash", "richtiges-passwort-2025")


class _Counting:
    """Stands in for the hasher: counts how many verify at once (each takes a while, as argon2 does)."""

    def __init__(self):
        self.now = self.most = 0
        self.lock = threading.Lock()

    def verify(self, password_hash: str, password: str) -> bool:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.02)
        with self.lock:
            self.now -= 1
        return True


def test_at_most_as_many_passwords_hashed_at_once_as_there_are_cores(monkeypatch):
    counting = _Counting()
    monkeypatch.setattr(roles, "_hasher", counting)
    cores = max(1, os.cpu_count() or 1)
    threads = [threading.Thread(target=roles.verify_password, args=("h", "p")) for _ in range(cores * 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counting.most == cores  # all ran (the threads overlapped), never more than the cores at once
