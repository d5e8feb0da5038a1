"""An upload held for a moment while a page asks a question first (a second invoice for a month)."""
# So the user need not choose the file again (a second invoice for a month: «als Korrektur hochladen?»). Held for 15
# minutes in the installation's data folder, encrypted (AES-GCM) with a key made from the installation's secret and a
# random token that only the user's page holds; bound to the user who sent it. Any worker process can take it back; a
# token that is unknown, expired or another user's gives None.
from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from litestar import Request

from shared.submissions.application.uploads import Upload

HOLD_SECONDS = 15 * 60
STORE = "pending_uploads"


def _key(request: Request, token: str) -> bytes:
    return hmac.new(request.app.state.secret.encode(), b"pending-upload:" + token.encode(), hashlib.sha256).digest()


def _name(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()  # the file's name does not reveal the token


async def hold(request: Request, owner: str, upload: Upload, **meta) -> str:
    """Keep the upload (and `meta`, e.g. its month); the token to take it back."""
    token = secrets.token_urlsafe(24)
    head = json.dumps({"filename": upload.filename, "content_type": upload.content_type, **meta}).encode()
    nonce = secrets.token_bytes(12)
    sealed = nonce + AESGCM(_key(request, token)).encrypt(nonce, head + b"\n" + upload.data, owner.encode())
    store = request.app.stores.get(STORE)
    await store.delete_expired()
    await store.set(_name(token), sealed, expires_in=HOLD_SECONDS)
    return token


async def peek(request: Request, owner: str, token: str) -> tuple[Upload, dict] | None:
    """The held upload and its meta, or None (unknown, expired, another user's)."""
    if not token or len(token) > 64:
        return None
    sealed = await request.app.stores.get(STORE).get(_name(token))
    if sealed is None:
        return None
    try:
        plain = AESGCM(_key(request, token)).decrypt(sealed[:12], sealed[12:], owner.encode())
    except Exception:  # another user's, or tampered with
        return None
    head, _, data = plain.partition(b"\n")
    meta = json.loads(head)
    return Upload(data, meta.pop("content_type"), meta.pop("filename")), meta


async def release(request: Request, token: str) -> None:
    await request.app.stores.get(STORE).delete(_name(token))
