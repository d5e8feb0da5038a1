"""Finance by social service from the register (issue 19, point 4): references without a recorded
Kostengutsprache under «nicht zugeordnet», never grouped by the text before their first digit."""
from __future__ import annotations

from decimal import Decimal

from shared.finance.application.reconciliation import by_social_service
from shared.finance.application.sums import sums_of
from shared.finance.domain.split import FundingLine, LineSplit, zero_sources
from shared.presentation.exports import social_service_rows


def split(provider: str, ref: str, amount: str) -> LineSplit:
    line = FundingLine(provider=provider, period="2025-03", participant="S-1", programme="beschaeftigung-1",
                       funding="social_assistance", allowed=Decimal(amount), unit="assignment_day",
                       cost_approval=ref, refugee=False, invoice="i", row=2, received_at="", exit_reason=None)
    amounts = zero_sources()
    amounts["social_service"] = Decimal(amount)
    return LineSplit(line, amounts)


def test_references_group_by_the_register_and_the_unknown_ones_come_last_unassigned():
    recorded = {("regiomech", "KGS-2540-2025-001"): "SD-2540", ("oltech", "KGS-4143-2025-002"): "SD-4143"}
    splits = [split("regiomech", "KGS-2540-2025-001", "100.00"), split("oltech", "KGS-4143-2025-002", "50.00"),
              split("oltech", "KGS-4143-2025-003", "7.00")]
    groups = by_social_service(sums_of(splits), lambda p, r: recorded.get((p, r)),
                               {"SD-2540": "Sozialregion Grenchen", "SD-4143": "Sozialdienst Dornach"})
    assert [(g["social_service"], g["name"], g["amount"]) for g in groups] == [
        ("SD-4143", "Sozialdienst Dornach", "50.00"), ("SD-2540", "Sozialregion Grenchen", "100.00"),
        ("unassigned", "nicht zugeordnet", "7.00")]
    rows = social_service_rows({"by_social_service": groups})
    assert rows[-1] == {"social_service": "", "name": "nicht zugeordnet", "reference": "Total",
                        "amount": Decimal("7.00")}


def test_the_same_reference_at_two_providers_follows_each_providers_approval():
    recorded = {("regiomech", "KGS-1"): "SD-A"}
    groups = by_social_service(sums_of([split("regiomech", "KGS-1", "10.00"), split("oltech", "KGS-1", "20.00")]),
                               lambda p, r: recorded.get((p, r)), {"SD-A": "A"})
    assert [(g["social_service"], g["amount"]) for g in groups] == [("SD-A", "10.00"), ("unassigned", "20.00")]
