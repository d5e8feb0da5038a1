"""The evaluation remembered by its months' generations (shared.readmodels.generations), on SQLite and PostgreSQL:
asked again it is not computed again and each caller gets its own copy; a change of another month leaves it
remembered; after every kind of change of its months' funding split (an invoice received, corrected, a fee waiver, a
credit rule, a rebuild) it is computed anew and equals the evaluation computed without memory. Its cells are made
again only for what changed: an upload of one provider for one month, that provider's cells and that quarter's."""
from __future__ import annotations

import json
from contextlib import contextmanager
from uuid import UUID

from shared.evaluation.application.evaluation import evaluate, parse_query
from shared.portal.reporting import Upload
from shared.presentation.evaluation_view import evaluation_view
from shared.readmodels.generations import ByParts, Remembered

PROVIDER = "regiomech"


def upload(period: str, people: int, days: str = "21.7") -> Upload:
    lines = [{"participant": f"Q-{i:02d}", "programme": "qualifizierung", "funding": "self_payer",
              "unit": "assignment_day", "quantity": days, "unit_price": "80.00",
              "amount": f"{float(days) * 80:.2f}"} for i in range(1, people + 1)]
    return Upload(json.dumps({"period": period, "lines": lines}).encode(), "application/json", None)


def fresh(portal, query) -> dict:
    """The evaluation as computed with nothing remembered (neither the answer nor a month's lines)."""
    views = portal.views
    kept = views.remembered, views.remembered_months, views.evaluation_cells
    views.remembered, views.remembered_months, views.evaluation_cells = Remembered(), Remembered(), ByParts()
    try:
        return evaluate(portal, query, 1)
    finally:
        views.remembered, views.remembered_months, views.evaluation_cells = kept


@contextmanager
def lines_read(portal, monkeypatch):
    """The parameters of each read of the evaluation's lines (shared.readmodels.evaluation_lines.LINES) inside."""
    from shared.readmodels.evaluation_lines import LINES

    with portal.views.store.read() as tx:
        kind = type(tx)
    original, found = kind.execute, []

    def execute(self, sql, params=()):
        if sql.startswith(LINES.split("{where}")[0]):
            found.append(list(params))
        return original(self, sql, params)

    with monkeypatch.context() as patched:
        patched.setattr(kind, "execute", execute)
        yield found


def total(data: dict) -> dict:
    return next(r for r in data["rows"] if r["programme"] == "qualifizierung" and r["provider"] is None)


def test_the_evaluation_is_remembered_until_its_months_change(portal, monkeypatch):
    rep, sup, views = portal.reporting, portal.supervision, portal.views
    query = parse_query(sup.catalogue(), "qualifizierung", "2025-01", "2025-03", "coaching")
    january = rep.submit_invoice(PROVIDER, upload("2025-01", 6), "test").document["id"]
    rep.submit_invoice(PROVIDER, upload("2025-02", 6), "test")

    def asked() -> tuple[dict, int]:
        data = evaluate(portal, query, 1)
        assert data == fresh(portal, query)
        return data, views.remembered.computed

    first, computed = asked()
    assert total(first)["participant_months"] == 12
    months = views.remembered_months
    assert months.computed == 3  # each month of the span read once
    again, same = asked()
    assert (again, same) == (first, computed)  # remembered, not computed again
    again["rows"].clear()  # the caller's own copy
    assert evaluate(portal, query, 1) == first
    shown = evaluate(portal, query, 1, copy=False)  # the page's: the remembered answer itself, only read
    assert shown is evaluate(portal, query, 1, copy=False) and shown == first
    evaluation_view(shown)  # what the page makes of it leaves it as it was
    assert shown == first
    assert views.remembered.computed == computed

    rep.submit_invoice("oltech", upload("2025-06", 4), "test")  # another month: still remembered
    assert asked() == (first, computed)
    assert evaluate(portal, query, 5) != first  # another protection is another answer, computed once
    assert views.remembered.computed == computed + 1
    computed += 1
    assert months.computed == 3  # from the months remembered

    rep.submit_invoice("oltech", upload("2025-02", 5), "test")  # another provider, a month of the span
    cells = views.evaluation_cells.computed
    with lines_read(portal, monkeypatch) as read:
        evaluate(portal, query, 1)
    assert read == [["2025-02", "oltech", *query.programmes]]  # Oltech's lines of February alone read again
    oltech, now = asked()
    assert (total(oltech)["participant_months"], now) == (17, computed + 1)
    computed += 1
    # made again: Oltech's cell of each programme type (of coaching: none) and the quarter's of each (Regiomech's:
    # as before, the very lines of before)
    assert views.evaluation_cells.computed - cells == 4
    assert months.computed == 4  # February alone read again

    rep.submit_invoice(PROVIDER, upload("2025-03", 7), "test")  # a month of the span: computed anew
    march, now = asked()
    assert (total(march)["participant_months"], now) == (24, computed + 1)
    assert months.computed == 5  # March alone read again

    rep.correct_invoice(PROVIDER, UUID(january), upload("2025-01", 3), "test")
    corrected, now = asked()
    assert (total(corrected)["participant_months"], now) == (21, computed + 2)

    sup.record_fee_waiver(PROVIDER, "Q-01", "2025-01-01", None, "0.00", "test")
    waived, now = asked()
    assert waived != corrected and total(waived)["by_source"]["fee_waiver"] != "0.00"
    assert now == computed + 3

    sup.record_credit_rule("2025-01-01", ["qualifizierung"], False, "Ab Januar", "test")
    credited, now = asked()
    assert total(credited)["by_source"]["federal_integration_credit"] != "0.00"
    assert now == computed + 4

    views.projector.rebuild()  # what `ami project --rebuild` does: a new epoch, the same figures
    rebuilt, now = asked()
    assert (rebuilt, now) == (credited, computed + 5)


def test_a_reset_gives_the_views_a_new_epoch(portal):
    from shared.readmodels.generations import token

    portal.reporting.submit_invoice(PROVIDER, upload("2025-01", 2), "test")
    store = portal.views.store
    portal.views.catch_up()
    with store.read() as tx:
        epoch, generations = token(tx, ["2025-01", "2025-02"])
    assert epoch and generations >= 1
    store.reset()  # emptied: no token of before can come again
    with store.read() as tx:
        after, counted = token(tx, ["2025-01", "2025-02"])
    assert after and after != epoch and counted == 0
