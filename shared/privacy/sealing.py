"""Sealing an invoice's personal fields in its events: per participant, with that participant's key.

What an invoice event keeps readable is the skeleton every figure needs: programme, unit, quantity,
amounts, finding codes and effects, the calculation traces, and the participant's pseudonym («subject»).
What names a person — participant number, Kostengutsprache reference, and every finding message or trace
line that quotes one of them (duplicate_line, monthly_cap) — is sealed: one AES-GCM ciphertext per
participant and document version, with that participant's key. The original upload names everybody at
once: it is sealed with the document's own key, which is shredded together with any participant's.

Opened without a vault (the projector) a line is its skeleton as stored: figures and pseudonym. Opened with
a vault but without the participant's key (shredded), it reads «gelöscht»: the figures stay, the person is gone."""
from __future__ import annotations

import base64

import msgspec

from shared.kernel.errors import Gone
from shared.kernel.packing import pack, unpack
from shared.privacy.adapters.key_vault import KeyVault, WrongKey, cipher, encrypt_each
from shared.submissions.domain.documents import FormatIssue, SubmissionRejected

FORMAT = 2
SHREDDED = "gelöscht"


def shredded_name(subject: str) -> str:
    """What a shredded participant is called: «gelöscht» with a piece of the pseudonym, so two of them stay
    two (a participant-month's fee-waiver share, duplicates) and every figure is the same as before."""
    return f"{SHREDDED} ({subject.removeprefix('p:')[:8]})"
TEXT_PREFIX = "sealed:"
LINE_FIELDS = ("participant", "cost_approval")
_enc = msgspec.json.Encoder()
_dec = msgspec.json.Decoder()


def is_sealed(content: dict) -> bool:
    return content.get("v") == FORMAT


class Sealer:
    """Seals and opens the personal fields of invoice content with the keys of a KeyVault."""

    def __init__(self, vault: KeyVault):
        self.vault = vault

    # --- an invoice's stored versions, opened (the Invoice aggregate's opener) --------------------------
    def open_submission(self, stored: dict) -> dict:
        return open_stored_submission(stored, self) if "body" in stored else stored

    def open_result(self, body: bytes | dict) -> dict:
        return open_result(body, self.vault)

    # --- invoice content: {"lines": [...], "result": {...}} or a result alone ---------------------------
    def seal_result(self, provider: str, result: dict) -> bytes:
        """A re-evaluation's result alone."""
        return self.seal_content(provider, None, result)

    def seal_content(self, provider: str, lines: list[dict] | None, result: dict) -> bytes:
        """Per participant one ciphertext of {"p": number, "c": {line: reference}, "m": {"line.finding":
        message}, "t": {"line.step": trace}} — only what names them; the skeleton holds the rest."""
        personal: dict[str, dict] = {}
        subject_of: dict[str, str] = {}

        def subject(participant: str) -> str:
            s = subject_of.get(participant)
            if s is None:
                s = subject_of[participant] = self.vault.participant_subject(provider, participant)
                personal[s] = {"p": participant}
            return s

        skeleton_lines = None
        references: dict[str, tuple[str, ...]] = {}  # participant -> their Kostengutsprache references
        if lines is not None:
            skeleton_lines = []
            for i, line in enumerate(lines):
                s = subject(line["participant"])
                if line.get("cost_approval"):
                    personal[s].setdefault("c", {})[i] = line["cost_approval"]
                    references[line["participant"]] = (*references.get(line["participant"], ()),
                                                       line["cost_approval"])
                skeleton_lines.append(skeleton := dict(line))  # the same keys less the personal ones, then subject
                for k in LINE_FIELDS:
                    skeleton.pop(k, None)
                skeleton["subject"] = s
        checked_lines = []
        for i, cl in enumerate(result["lines"]):
            who = cl["participant"]
            s = subject_of.get(who) or subject(who)
            names = (who, *references[who]) if who in references else (who,)
            findings, trace = cl.get("findings", ()), cl.get("trace", ())
            # only a text that quotes the number (or a reference) is sealed; the rest stays readable (most lines
            # quote nobody: one look at all their texts at once)
            texts = "\x1f".join([*(f["message"] for f in findings), *trace])
            if any(n in texts for n in names):
                findings, trace = _seal_quotes(personal[s], i, findings, trace, names)
            checked = dict(cl)  # the same keys in the same order, less the number, then subject
            del checked["participant"]  # (the lists are packed at once below: shared, not copied)
            checked.update(subject=s, findings=findings, trace=trace)
            checked_lines.append(checked)
        keys = self.vault.keys(personal, create=True)
        gone = {s for s in personal if keys[s] is None}
        if gone:
            raise SubmissionRejected([
                FormatIssue(line.get("row"), "Teilnehmer", line["participant"],
                            "Die Angaben zu dieser Teilnehmernummer wurden nach Ablauf der Aufbewahrungsfrist "
                            "gelöscht; bitte eine neue Teilnehmernummer vergeben")
                for line in (lines or result["lines"]) if subject(line["participant"]) in gone])
        ciphertexts = encrypt_each([(keys[s], _enc.encode(data)) for s, data in personal.items()])
        sealed = {s: base64.b64encode(c).decode("ascii") for s, c in zip(personal, ciphertexts, strict=True)}
        content: dict = {"v": FORMAT, "result": {**result, "lines": checked_lines}, "sealed": sealed}
        if skeleton_lines is not None:
            content["lines"] = skeleton_lines
        return pack(content)

    # --- a whole submission as the Invoice events hold it -------------------------------------------------
    def seal_submission(self, provider: str, opened: dict) -> dict:
        """The version's lines and result per participant; its original and file name with a new document key
        of its own (made ahead: see KeyVault.new_document_subject), named in the version (`document_subjects`)."""
        sub = {k: v for k, v in opened.items() if k not in ("lines", "result", "original")}
        sub["totals"] = opened["result"]["totals"]
        subject = self.vault.new_document_subject()
        sub["body"] = self.seal_content(provider, opened["lines"], opened["result"])
        if opened.get("original") is not None:
            sub["original"] = self.seal_bytes(subject, opened["original"])
            sub["original_sealed"] = subject
        if opened.get("filename"):  # a file may be named after a person
            sub["filename"] = self.seal_text(subject, opened["filename"])
        return sub

    # --- a few named fields under one subject's key (fee waivers: participant, reference, comment) ------
    def seal_fields(self, subject: str, fields: dict) -> str:
        return base64.b64encode(self.seal_bytes(subject, _enc.encode(fields))).decode("ascii")

    def open_fields(self, subject: str, sealed: str) -> dict | None:
        """The fields, or None when the subject's key has been shredded."""
        data = self.open_bytes(subject, base64.b64decode(sealed))
        return None if data is None else _dec.decode(data)

    # --- one free text (review comments) as a self-describing token: "sealed:<subject>:<base64>" ----------
    def seal_text(self, subject: str, text: str) -> str:
        if not text:
            return text
        return f"{TEXT_PREFIX}{subject}:" + base64.b64encode(self.seal_bytes(subject, text.encode())).decode()

    def open_text(self, value):
        """The text of a token (SHREDDED once its key is gone); any other value as it is."""
        return open_text(value, self)

    # --- whole byte strings under a document's key (the original upload, comments) ----------------------
    @staticmethod
    def document_subject(document_id: str) -> str:
        return f"d:{document_id}"

    def seal_bytes(self, subject: str, data: bytes) -> bytes:
        key = self.vault.keys([subject], create=True)[subject]
        if key is None:
            raise Gone("Die Angaben zu dieser Person wurden nach Ablauf der Aufbewahrungsfrist gelöscht; "
                       "neue Angaben unter derselben Nummer werden nicht angenommen.")
        return cipher(key).encrypt(data)

    def open_bytes(self, subject: str, data: bytes) -> bytes | None:
        """The plaintext, or None when the key has been shredded."""
        key = self.vault.keys([subject], create=False).get(subject)
        return None if key is None else _decrypt(key, data, subject)


def _seal_quotes(personal: dict, i: int, findings, trace, names: tuple[str, ...]) -> tuple[list, list]:
    """Line i's findings and trace with each text that names the participant (or one of their references)
    moved into their sealed part ({"m": {"i.j": message}, "t": {"i.j": trace}}), None in its place."""
    sealed_findings, sealed_trace = [], []
    for j, f in enumerate(findings):
        if any(n in f["message"] for n in names):
            personal.setdefault("m", {})[f"{i}.{j}"] = f["message"]
            f = {**f, "message": None}
        sealed_findings.append(f)
    for j, t in enumerate(trace):
        if any(n in t for n in names):
            personal.setdefault("t", {})[f"{i}.{j}"] = t
            t = None
        sealed_trace.append(t)
    return sealed_findings, sealed_trace


def _decrypt(key: bytes, data: bytes, subject: str) -> bytes:
    try:
        return cipher(key).decrypt(data)
    except ValueError:
        raise WrongKey(f"Die Angaben zu {subject} lassen sich mit ihrem Schlüssel nicht öffnen.") from None


def document_subjects(stored: dict) -> set[str]:
    """The document keys a stored version's original and file name are sealed with (to shred them)."""
    token = text_token(stored.get("filename"))
    return {s for s in (stored.get("original_sealed"), token and token[0]) if s}


def text_token(value) -> tuple[str, str] | None:
    """(subject, Base64 ciphertext) of a sealed text ("sealed:<subject>:<base64>"); None for any other value."""
    if not isinstance(value, str) or not value.startswith(TEXT_PREFIX):
        return None
    subject, _, data = value[len(TEXT_PREFIX):].rpartition(":")
    return subject, data


def open_event_texts(state: dict, sealer: Sealer | None) -> dict:
    """An event's state with its sealed free texts opened: comments, reasons, a submission's file name."""
    opened = {k: open_text(v, sealer) if k in ("comment", "reason") else v for k, v in state.items()}
    submission = opened.get("submission")
    if isinstance(submission, dict) and submission.get("filename"):
        opened["submission"] = {**submission, "filename": open_text(submission["filename"], sealer)}
    return opened


def open_text(value, sealer: Sealer | None):
    token = text_token(value)
    if token is None:
        return value
    subject, data = token
    opened = sealer.open_bytes(subject, base64.b64decode(data)) if sealer else None
    return SHREDDED if opened is None else opened.decode()


def open_stored_submission(stored: dict, sealer: Sealer | None) -> dict:
    """The submission with lines, result and original; without a sealer the skeleton and no original."""
    opened = {k: v for k, v in stored.items() if k not in ("body", "original_sealed")}
    opened.update(open_content(stored["body"], sealer.vault if sealer else None))
    if sealer is not None and opened.get("filename"):
        opened["filename"] = open_text(opened["filename"], sealer)
    if "original_sealed" in stored:
        opened["original"] = sealer.open_bytes(stored["original_sealed"], stored["original"]) if sealer else None
    return opened


def open_content(body: bytes | dict, vault: KeyVault | None = None) -> dict:
    """{"lines", "result"} as they were sealed; without a vault (or a key) the skeleton of each line."""
    content = unpack(body)
    return open_unpacked(content, vault) if is_sealed(content) else content  # type: ignore[arg-type,return-value]


def open_unpacked(content: dict, vault: KeyVault | None) -> dict:
    """{"lines", "result"} of `content` as `unpack` made it (fresh, nobody else holds it), opened in place: a
    10,000-line version builds no second copy of every line, finding and trace (the collector's work halves).
    Without a vault (the projector) the skeleton as stored: pseudonyms, no numbers."""
    if vault is not None:
        opened = open_parts(content["sealed"], vault)
        for i, cl in enumerate(content["result"]["lines"]):
            _open_checked(i, cl, opened.get(cl["subject"]))
        for i, ln in enumerate(content.get("lines", ())):
            _open_line(i, ln, opened.get(ln["subject"]))
    return {k: content[k] for k in ("result", "lines") if k in content}


def open_parts(sealed: dict[str, str], vault: KeyVault) -> dict[str, dict | None]:
    """Each participant's sealed part of a version ({"p": number, "c": {line index: reference}, …}) opened with
    their key; None where the key has been shredded."""
    return dict(zip(sealed, open_each(list(sealed.items()), vault), strict=True))


def open_each(parts: list[tuple[str, str]], vault: KeyVault) -> list[dict | None]:
    """Sealed parts as (pseudonym, Base64 ciphertext), opened (one key lookup for all); None once shredded."""
    keys = vault.keys({s for s, _ in parts}, create=False) if parts else {}
    return [None if keys.get(s) is None else _dec.decode(_decrypt(keys[s], base64.b64decode(ct), s))
            for s, ct in parts]


def _open_line(i: int, line: dict, personal: dict | None) -> None:
    """A submitted line opened in place: its participant's number and reference, or «gelöscht» (pseudonym kept)."""
    if personal is None:
        return line.update(participant=shredded_name(line["subject"]), cost_approval=None, shredded=True)
    del line["subject"]
    line.update(participant=personal["p"], cost_approval=personal.get("c", {}).get(str(i)))


def _open_checked(i: int, cl: dict, personal: dict | None) -> None:
    """A checked line opened in place: the participant, and the finding messages and trace steps that quote
    them put back where the skeleton holds None (or «(gelöscht)» once shredded; the pseudonym then stays)."""
    messages = traces = None
    if personal is None:
        cl.update(participant=shredded_name(cl["subject"]), shredded=True)
    else:
        cl["participant"], messages, traces = personal["p"], personal.get("m", {}), personal.get("t", {})
        del cl["subject"]
    trace = cl.setdefault("trace", [])
    for j, t in enumerate(trace):
        if t is None:
            trace[j] = f"({SHREDDED})" if traces is None else traces[f"{i}.{j}"]
    for j, f in enumerate(cl["findings"]):
        if f["message"] is None:
            f["message"] = f"({SHREDDED})" if messages is None else messages[f"{i}.{j}"]


def open_result(body: bytes | dict, vault: KeyVault | None = None) -> dict:
    """A re-evaluation's result, sealed or only packed (older stores)."""
    content = unpack(body)
    if not is_sealed(content):  # type: ignore[arg-type]
        return content  # type: ignore[return-value]
    return open_unpacked(content, vault)["result"]  # type: ignore[arg-type]
