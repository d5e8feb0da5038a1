"""Properties of check_invoice over generated invoices (hypothesis)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.checks import check_invoice, line_key
from shared.checks.rules import ORDER
from shared.kernel.money import format_chf
from shared.kernel.periods import Period
from shared.submissions.domain.documents import EXIT_REASONS, FUNDINGS, InvoiceLine, ParsedInvoice

from .factory import ALL_TYPES, REGISTERED, capacity_row, ctx, offering

UNITS = ("assignment_day", "reduced_day", "coaching_hour", "hour_worked")
MONTHS = (Period(2025, 2), Period(2025, 3), Period(2025, 4))
CENT = Decimal("0.01")

OFFERING_SETS = (
    (),
    REGISTERED,
    (offering("qualifizierung", "RM-Q1", agreed={"assignment_day": "75.00"}),
     offering("qualifizierung", "RM-Q2", valid_to=date(2025, 2, 28)),
     offering("coaching", "RM-C1", agreed={"coaching_hour": "180.00"}, valid_from=date(2025, 3, 1)),
     offering("suchthilfe-stundenlohn", "RM-S1")),
)

dates = st.dates(min_value=date(2025, 1, 15), max_value=date(2025, 5, 15))
amounts = st.decimals(min_value=0, max_value=9000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def invoice_lines(draw) -> InvoiceLine:
    quantity = draw(st.one_of(st.sampled_from(["21.7", "5", "1.3", "23", "2", "0.25"]).map(Decimal),
                              st.decimals(min_value=0, max_value=30, places=2, allow_nan=False,
                                          allow_infinity=False)))
    prices = ["80.00", "85.00", "56.00", "200.00", "4.00", "35.00"]
    price = draw(st.one_of(st.sampled_from(prices).map(Decimal),
                           st.decimals(min_value=0, max_value=300, places=2, allow_nan=False,
                                       allow_infinity=False)))
    amount = draw(st.one_of(st.just((quantity * price).quantize(CENT)), amounts))
    return InvoiceLine(
        row=0, period=draw(st.sampled_from(MONTHS)), participant=draw(st.sampled_from(["A-1", "B-2", "C-3"])),
        programme=draw(st.sampled_from(ALL_TYPES)), funding=draw(st.sampled_from(FUNDINGS)),
        unit=draw(st.sampled_from(UNITS)), quantity=quantity, unit_price=price, amount=amount,
        offering=draw(st.sampled_from([None, None, "RM-Q1", "RM-Q2", "RM-C1", "RM-S1", "RM-2"])),
        cost_approval=draw(st.sampled_from([None, "KGS-1"])),
        entry_date=draw(st.one_of(st.none(), dates)), exit_date=draw(st.one_of(st.none(), dates)),
        exit_reason=draw(st.sampled_from((None, *EXIT_REASONS))))


@st.composite
def invoices(draw, unique: bool = False) -> ParsedInvoice:
    lines = draw(st.lists(invoice_lines(), max_size=25))
    if unique:
        seen: set[tuple] = set()
        kept = []
        for ln in lines:
            if line_key(ln) not in seen:
                seen.add(line_key(ln))
                kept.append(ln)
        lines = kept
    rows = draw(st.permutations(range(2, 2 + len(lines))))
    lines = [InvoiceLine(**{**ln.__dict__, "row": row}) for ln, row in zip(lines, rows, strict=True)]
    return ParsedInvoice(Period(2025, 3), tuple(lines))


@st.composite
def contexts(draw):
    capacity = draw(st.sampled_from([None, {}, {("qualifizierung", None): capacity_row(occupied=1),
                                                ("coaching", "RM-C1"): capacity_row("coaching", "RM-C1")}]))
    return ctx(offerings=draw(st.sampled_from(OFFERING_SETS)),
               today=draw(st.sampled_from([None, date(2025, 3, 15), date(2025, 2, 10)])),
               received_at=draw(st.sampled_from([None, datetime(2025, 4, 20, tzinfo=UTC)])),
               capacity=capacity)


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(invoices(), contexts())
def test_allowed_is_between_0_and_claimed_and_exact_to_the_centime(parsed, context):
    for cl in check_invoice(parsed, context).lines:
        assert Decimal(0) <= cl.allowed <= cl.claimed
        assert cl.allowed == cl.allowed.quantize(CENT) and cl.claimed == cl.claimed.quantize(CENT)
        assert cl.reduction == cl.claimed - cl.allowed
        assert cl.trace and cl.trace[-1].endswith(format_chf(cl.allowed))
        if not any(f.severity == "error" for f in cl.findings):
            assert cl.allowed == cl.claimed  # warnings never change the amount
        order = [ORDER[f.code] for f in cl.findings]
        assert order == sorted(order) and len(set(order)) == len(order)  # §4's order, each code once


@SETTINGS
@given(invoices(), contexts())
def test_totals_are_the_sums_of_the_lines(parsed, context):
    checked = check_invoice(parsed, context)
    assert checked.totals["claimed"] == sum((cl.claimed for cl in checked.lines), Decimal(0))
    assert checked.totals["allowed"] == sum((cl.allowed for cl in checked.lines), Decimal(0))
    assert checked.totals["reduction"] == checked.totals["claimed"] - checked.totals["allowed"]
    assert checked.as_dict()["totals"]["allowed"] == f"{checked.totals['allowed']:.2f}"
    assert [cl.line for cl in checked.lines] == list(parsed.lines)


@SETTINGS
@given(invoices(), contexts())
def test_the_check_is_deterministic(parsed, context):
    assert check_invoice(parsed, context).as_dict() == check_invoice(parsed, context).as_dict()


@SETTINGS
@given(invoices(unique=True), contexts(), st.randoms(use_true_random=False))
def test_the_order_of_the_lines_changes_nothing(parsed, context, rnd):
    shuffled = list(parsed.lines)
    rnd.shuffle(shuffled)
    a = {cl.line.row: cl.as_dict() for cl in check_invoice(parsed, context).lines}
    b = {cl.line.row: cl.as_dict() for cl in check_invoice(ParsedInvoice(parsed.period, tuple(shuffled)),
                                                           context).lines}
    assert a == b


@SETTINGS
@given(invoices(), contexts())
def test_warnings_never_change_an_amount(parsed, context):
    quiet = check_invoice(parsed, ctx(offerings=context.offerings, today=context.today))
    noisy = check_invoice(parsed, ctx(offerings=context.offerings, today=context.today, capacity={},
                                      received_at=datetime(2025, 5, 1, tzinfo=timezone(timedelta(hours=2)))))
    assert [cl.allowed for cl in quiet.lines] == [cl.allowed for cl in noisy.lines]
