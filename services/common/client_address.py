"""The client's address: the peer's, or behind a configured proxy (AMI_TRUSTED_PROXIES) the one it forwards."""
# The client's address: the peer's, or behind a configured proxy (AMI_TRUSTED_PROXIES: addresses, networks or the
# peer's exact name) the one it forwards.
#
# X-Forwarded-For is believed only when the peer is a trusted proxy; then the rightmost address that is not a trusted
# proxy names the client (the ones further left were written by the client and prove nothing).
from __future__ import annotations

import ipaddress
from functools import lru_cache

from litestar import Request


@lru_cache(maxsize=16)
def _networks(trusted: tuple[str, ...]) -> tuple:
    nets = []
    for entry in trusted:
        try:
            nets.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(nets)


def _trusted(address: str, networks: tuple, names: tuple[str, ...] = ()) -> bool:
    if address.strip() in names:
        return True
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def forwarded_client(peer: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    networks = _networks(trusted)
    if not trusted or not _trusted(peer, networks, trusted):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _trusted(hop, networks, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # not an address: the proxy wrote something else, trust the peer
    return peer


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    trusted = getattr(request.app.state.settings, "trusted_proxies", ())
    return forwarded_client(peer, request.headers.get("x-forwarded-for", ""), tuple(trusted))
