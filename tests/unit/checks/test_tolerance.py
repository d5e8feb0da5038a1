"""The tolerance of amount_mismatch never pays above quantity × the tariff in force (domain-rules §4).

Near misses around 21.7 × 80.00 = 1,736.00: 1,735.99 (a centime rounded down) is paid as claimed;
1,736.01 is paid 1,736.00, with the finding that explains the centime.
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shared.checks import check_invoice
from shared.kernel.money import to_cents
from shared.kernel.periods import Period
from shared.submissions.domain.documents import FUNDINGS, InvoiceLine, ParsedInvoice

from .factory import ALL_TYPES, CATALOGUE, REGISTERED, D, check, codes, ctx, line, offering

CENT = Decimal("0.01")


def test_a_centime_below_quantity_times_tariff_is_paid_as_claimed_a_centime_above_is_not():
    cl = check(line(quantity="21.7", unit_price="80.00", amount="1735.99")).lines[0]
    assert (codes(cl), cl.claimed, cl.allowed) == ([], D("1735.99"), D("1735.99"))
    cl = check(line(quantity="21.7", unit_price="80.00", amount="1736.01")).lines[0]
    assert (codes(cl), cl.claimed, cl.allowed, cl.reduction) == (
        ["amount_mismatch"], D("1736.01"), D("1736.00"), D("0.01"))
    assert cl.trace[-1].endswith("CHF 1’736.00")


def test_a_centime_above_an_agreed_tariff_is_not_paid_either():
    agreed = (offering(agreed={"assignment_day": "75.00"}),)
    inside = check(line(quantity="21.7", unit_price="75.00", amount="1627.50"), offerings=agreed).lines[0]
    outside = check(line(quantity="21.7", unit_price="75.00", amount="1627.51"), offerings=agreed).lines[0]
    assert (codes(inside), inside.allowed) == ([], D("1627.50"))
    assert (codes(outside), outside.allowed) == (["amount_mismatch"], D("1627.50"))


def test_a_reduced_day_a_centime_above_seventy_percent():
    inside = check(line(unit="reduced_day", quantity="10", unit_price="56.00", amount="560.00")).lines[0]
    outside = check(line(unit="reduced_day", quantity="10", unit_price="56.00", amount="560.01")).lines[0]
    assert (inside.allowed, outside.allowed) == (D("560.00"), D("560.00"))
    assert codes(outside) == ["amount_mismatch"]


UNITS = ("assignment_day", "reduced_day", "coaching_hour", "hour_worked")
MAXIMA = sorted({t.max_price for t in CATALOGUE.editions[0].tariffs.values()} | {D("56.00"), D("24.50")})


@st.composite
def lines_near_the_tariff(draw) -> InvoiceLine:
    quantity = draw(st.one_of(st.sampled_from(["21.7", "5", "1.25", "3", "0.25", "10"]).map(Decimal),
                              st.decimals(min_value=0, max_value=31, places=4)))
    price = draw(st.one_of(st.sampled_from(MAXIMA), st.decimals(min_value=0, max_value=300, places=2)))
    product = to_cents(quantity * price)
    amount = draw(st.one_of(st.sampled_from([product, product + CENT, product - CENT, product + 2 * CENT]),
                            st.decimals(min_value=0, max_value=10_000, places=2)))
    return InvoiceLine(row=draw(st.integers(2, 60)), period=Period(2025, 3),
                       participant=draw(st.sampled_from(["A-1", "B-2"])), programme=draw(st.sampled_from(ALL_TYPES)),
                       funding=draw(st.sampled_from(FUNDINGS)), unit=draw(st.sampled_from(UNITS)),
                       quantity=quantity, unit_price=price, amount=max(amount, Decimal(0)), cost_approval="KGS-1")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines_near_the_tariff(), max_size=8, unique_by=lambda ln: ln.row))
@example([InvoiceLine(row=2, period=Period(2025, 3), participant="B-0017", programme="qualifizierung",
                      funding="self_payer", unit="assignment_day", quantity=D("21.7"), unit_price=D("80.00"),
                      amount=D("1736.01"))])
def test_allowed_never_exceeds_quantity_times_the_tariff_in_force(lines):
    edition = CATALOGUE.in_force(Period(2025, 3))
    checked = check_invoice(ParsedInvoice(Period(2025, 3), tuple(lines)), ctx(offerings=REGISTERED))
    for cl in checked.lines:
        tariff = edition.tariff(cl.line.programme, cl.line.unit)
        ceiling = to_cents(cl.line.quantity * tariff.max_price) if tariff is not None else D("0.00")
        assert cl.allowed <= ceiling, (cl.line, cl.allowed, ceiling)
        assert cl.allowed <= to_cents(cl.line.quantity * cl.line.unit_price)
