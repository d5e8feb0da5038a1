"""The demo's social services: one invented Sozialdienst per town of the demo's offerings, registered as demo
data (`demo` true; a real register is loaded by an admin). The demo's references name its postcode
(KGS-4600-2025-031), so each reference belongs to the social service of that town."""
from __future__ import annotations

from services.demo import cast as D

ADMIN = "system:demo"


def demo_social_services(plans=D.PROVIDERS) -> list[dict]:
    """Code SD-<postcode>, an invented name and address per town, valid from 2020."""
    towns: dict[str, str] = {}
    for plan in plans:
        for off in plan.offerings:
            towns.setdefault(off.postcode, off.town)
    twice = {town for town in towns.values() if list(towns.values()).count(town) > 1}
    return [{"code": f"SD-{postcode}",
             "name": f"Sozialdienst {town}{f' {postcode}' if town in twice else ''} (Demo)",
             "address": f"Demogasse {i + 1}\n{postcode} {town}", "valid_from": "2020-01-01"}
            for i, (postcode, town) in enumerate(sorted(towns.items()))]


def register_social_services(sup, plans=D.PROVIDERS) -> int:
    """The demo's social services where they are missing; how many were registered."""
    known = sup.social_services()
    added = 0
    for data in demo_social_services(plans):
        if data["code"] not in known:
            sup.record_social_service(data, ADMIN, demo=True)
            added += 1
    return added
