"""`ami verify`: the store's hashes and signed roots (then a new checkpoint), or an audit PDF offline."""
from __future__ import annotations

import sys
from pathlib import Path

from shared.config import Settings, load_settings


def cmd_verify(args) -> int:
    """Exit 0 when nothing was changed, 1 naming each mismatch (service, position, event, version), 2 on bad input."""
    settings = load_settings()
    if args.pdf:
        return _verify_pdf(args.pdf, args.public_key, settings)
    return _verify_store(settings, checkpoint=not args.no_checkpoint, witness_files=args.witness,
                         digests=tuple(args.witness_digest))


def _verify_pdf(pdf_path: str, key_arg: str | None, settings: Settings) -> int:
    from shared.audit.application.checkpoints import load_verify_key, parse_public_key
    from shared.audit.application.verify_pdf import verify_pdf

    try:
        verify_key = parse_public_key(key_arg) if key_arg else load_verify_key(settings)
    except (ValueError, OSError) as exc:
        print(f"Öffentlicher Schlüssel unlesbar: {exc}", file=sys.stderr)
        return 2
    if verify_key is None:
        print("Bitte --public-key SCHLÜSSEL angeben.", file=sys.stderr)
        return 2
    try:
        pdf = Path(pdf_path).read_bytes()
    except OSError as exc:
        print(f"PDF kann nicht gelesen werden: {exc.strerror}", file=sys.stderr)
        return 2
    problems = verify_pdf(pdf, verify_key)
    for p in problems:
        print(f"ABWEICHUNG {p}")
    if not problems:
        print(f"PDF echt: Siegel, Seiten, Anhänge, Kontrollpunkte und Ereignisse stimmen ({pdf_path}).")
    return 1 if problems else 0


def _verify_store(settings: Settings, *, checkpoint: bool, witness_files=(), digests: tuple[str, ...] = ()) -> int:
    from shared.audit.application.checkpoints import checkpoint_store, witnessed
    from shared.audit.application.verify_store import verify_store_report
    from shared.store.eventstore import SERVICE_NAMES

    witness = []
    for name in witness_files:
        path = Path(name)
        if not path.is_file():
            print(f"Zeugen-Datei nicht gefunden: {name}", file=sys.stderr)
            return 2
        found = witnessed(settings, path)
        print(f"Zeuge {name}: {len(found)} Kontrollpunkt(e) dieses Speichers")
        witness += found
    reports = verify_store_report(settings, witness=witness, digests=digests)
    mismatches = [m for r in reports for m in r.mismatches]
    for m in mismatches:
        print(f"ABWEICHUNG {m}")
    for r in (r for r in reports if r.service in SERVICE_NAMES):
        points = "1 Kontrollpunkt" if r.checkpoints == 1 else f"{r.checkpoints} Kontrollpunkte"
        state = f"{r.covered} von {r.events} Ereignissen durch {points} gedeckt"
        print(f"{r.service}: {state}, Position {r.position}, Wurzel {r.root or '-'}")
    if mismatches:
        print(f"{len(mismatches)} Abweichung(en) gefunden.")
        return 1
    if checkpoint and reports:
        digest = checkpoint_store(settings)
        for service, cp in digest.checkpoints.items():
            print(
                f"Kontrollpunkt {service}: Position {cp.position}, {cp.tree_size} Ereignisse, "
                f"Wurzel {cp.root}"
            )
        print(f"Speicher-Digest {digest.digest}")
    print("Keine Abweichung.")
    return 0
