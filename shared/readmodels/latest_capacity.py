"""The latest capacity row per provider, programme type and offering code (the finder's free places), read from the
`capacity` view (the rows in force per offering-month)."""
from __future__ import annotations

from dataclasses import dataclass

LATEST = """
SELECT c.provider, c.programme, c.offering, c.period, c.places, c.occupied, c.waiting_list
FROM capacity c
JOIN (SELECT provider, programme, offering, MAX(period) AS period FROM capacity
      GROUP BY provider, programme, offering) m
  ON m.provider = c.provider AND m.programme = c.programme AND m.offering = c.offering AND m.period = c.period
"""


@dataclass(frozen=True, slots=True)
class LatestCapacity:
    provider: str
    programme: str
    offering: str  # as reported: "" for a row without an offering code
    period: str  # "YYYY-MM"
    places: int
    occupied: int
    waiting_list: int | None


def latest_capacity(views) -> list[LatestCapacity]:
    """Every (provider, programme, offering code) with its most recent reported month; aggregate figures only."""
    with views.store.read() as tx:
        return [LatestCapacity(p, pt, off, period, int(places), int(occupied),
                               None if waiting is None else int(waiting))
                for p, pt, off, period, places, occupied, waiting in tx.execute(LATEST)]
