"""Demo data for the payer documents: invented IBANs and postal addresses of the providers (the creditor of
their participants' QR-bills), and a federal credit rule that takes half of integration.arbeit's
social-assistance lines (domain-rules §5). Every value here is invented and marked as demo data."""
from __future__ import annotations

import hashlib

from services.demo import cast as D
from shared.finance.domain.inputs import credit_categories
from shared.kernel.errors import Invalid

SUPERVISOR = "user:demo-aufsicht"
FINANCE = "user:demo-finanzen"
STREETS = ("Industriestrasse", "Bahnhofstrasse", "Werkhofstrasse", "Dornacherstrasse", "Gibelinstrasse")
CREDIT_RULE = {"valid_from": "2022-10-01", "programmes": ["integration-arbeit"], "refugees": True,
               "categories": {"self_payer": 1, "social_assistance": 0.5},  # the credit's share of each
               "label": "Demo: integration.arbeit und Flüchtlinge/VA; die Hälfte der Sozialhilfe-Zeilen von "
                        "integration.arbeit aus dem Integrationskredit"}


def demo_iban(slug: str, qr: bool) -> str:
    """An invented, valid Swiss IBAN (a QR-IBAN with institution 30000–31999 if `qr`) derived from the slug."""
    from stdnum import iban

    digits = str(int(hashlib.sha256(slug.encode()).hexdigest(), 16))
    institution = f"{30000 + int(digits[:4]) % 2000:05d}" if qr else f"8{digits[:4]}"
    body = f"{institution}{digits[4:16]}"
    check = iban.calc_check_digits(f"CH00{body}")
    return f"CH{check}{body}"


def register_payment_details(sup, plans: list[D.ProviderPlan]) -> int:
    """Each demo provider's IBAN (every second one a QR-IBAN) and address (the place of its first offering)."""
    changed = 0
    for index, plan in enumerate(plans):
        first = plan.offerings[0]
        wanted = {"iban": demo_iban(plan.slug, qr=index % 2 == 0),
                  "street": f"{STREETS[index % len(STREETS)]} {10 + index}",
                  "postcode": first.postcode, "city": first.town}
        try:
            sup.change_provider(plan.slug, wanted, SUPERVISOR, only_differences=True)
            changed += 1
        except Invalid:  # nothing differs: already there from an earlier run
            pass
    return changed


def record_demo_credit_rule(sup) -> None:
    """The demo's federal credit rule (replacing the built-in default from the same month), once."""
    current = {r.valid_from: r for r in sup.credit_rule_records()}.get(CREDIT_RULE["valid_from"])
    wanted = credit_categories(CREDIT_RULE["categories"], None)
    if current is not None and getattr(current, "categories", None) == wanted:
        return
    sup.record_credit_rule(CREDIT_RULE["valid_from"], CREDIT_RULE["programmes"], CREDIT_RULE["refugees"],
                           CREDIT_RULE["label"], FINANCE, categories=CREDIT_RULE["categories"])
