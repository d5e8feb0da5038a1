"""Keys and witness apart from the store, and a witness kept elsewhere (issue 14, point 9).

Whoever may write the store and the keys directory can delete the newest events together with their recorded
hashes, their checkpoints and the witness lines, and the store's own evidence then agrees with itself. A copy
of the witness or a store digest kept elsewhere (`ami verify --witness FILE`, `--witness-digest HEX`) still
finds it."""
from __future__ import annotations

import shutil

from shared.audit.application.checkpoints import checkpoint_store, witness_path, witnessed
from shared.audit.application.verify_store import verify_store, verify_store_report
from shared.config import load_settings
from shared.portal.reporting import Upload
from tests.integration.verify_cases import APRIL, disable_triggers, open_db, seed


def test_keys_and_witness_live_apart_from_the_store_by_default(tmp_path):
    settings = load_settings({"AMI_DATA_DIR": str(tmp_path / "var")})
    assert settings.keys_dir == tmp_path / "var-keys"
    assert not settings.keys_dir.is_relative_to(settings.data_dir)
    assert witness_path(settings).parent == settings.keys_dir
    legacy = tmp_path / "old"
    (legacy / "keys").mkdir(parents=True)  # a store made before the keys moved out keeps them where they are
    assert load_settings({"AMI_DATA_DIR": str(legacy)}).keys_dir == legacy / "keys"
    moved = load_settings({"AMI_DATA_DIR": str(legacy), "AMI_KEYS_DIR": str(tmp_path / "vault")})
    assert moved.keys_dir == tmp_path / "vault"


def test_deleting_the_newest_events_with_all_their_evidence_is_found_by_a_witness_kept_elsewhere(
        portal, settings, tmp_path, monkeypatch, capsys):
    seed(portal)
    first = checkpoint_store(settings)
    portal.reporting.submit_invoice("oltech", Upload(APRIL.replace(b"C-7", b"C-8"), "text/csv", "mai.csv"), "t")
    second = checkpoint_store(settings)
    kept = tmp_path / "elsewhere" / "checkpoints.jsonl"  # the operator ships the witness to another machine
    kept.parent.mkdir()
    shutil.copy(witness_path(settings), kept)
    cut = first.checkpoints["reporting"]
    assert second.checkpoints["reporting"].position > cut.position

    with open_db(settings, "reporting") as db:  # the intruder: events, hashes, checkpoints, witness lines
        disable_triggers(db)
        db.execute(f"DELETE FROM {db.events_table} WHERE {db.nid} > ?", (cut.position,))
        db.execute(f"DELETE FROM {db.table('audit_event_hashes')} WHERE leaf_index >= ?", (cut.tree_size,))
        db.execute(f"DELETE FROM {db.table('audit_checkpoints')} WHERE seq > ?", (cut.seq,))
    lines = witness_path(settings).read_text().splitlines()
    witness_path(settings).write_text("".join(f"{line}\n" for line in lines
                                              if f'"seq": {second.checkpoints["reporting"].seq}' not in line
                                              or '"service": "reporting"' not in line))

    assert verify_store(settings) == []  # the store's own evidence agrees with itself
    external = [m for r in verify_store_report(settings, witness=witnessed(settings, kept)) for m in r.mismatches]
    assert {m.kind for m in external} >= {"checkpoint_missing"} and {m.service for m in external} == {"reporting"}
    by_digest = [m for r in verify_store_report(settings, digests=(second.digest,)) for m in r.mismatches]
    assert [m.kind for m in by_digest] == ["digest_missing"]
    assert [m for r in verify_store_report(settings, digests=(first.digest,)) for m in r.mismatches] == []

    from services.cli import main  # the same through `ami verify`

    monkeypatch.setenv("AMI_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("AMI_KEYS_DIR", str(settings.keys_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["verify", "--no-checkpoint"]) == 0
    assert main(["verify", "--no-checkpoint", "--witness", str(kept)]) == 1
    assert main(["verify", "--no-checkpoint", "--witness-digest", second.digest]) == 1
    assert "ABWEICHUNG Der Speicher-Digest" in capsys.readouterr().out
    assert main(["verify", "--no-checkpoint", "--witness", str(tmp_path / "nowhere.jsonl")]) == 2
