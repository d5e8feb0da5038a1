"""German names of every code the portal shows (domain-rules §1): the one module that pages, PDFs, CSV and XLSX
exports and `ami check` call for a label. Names the domain itself speaks in its messages (units, programme
types, funding, exit reasons, check titles, funding sources) are defined once beside their codes and only
gathered here; the rest is defined here."""
from __future__ import annotations

import functools

from shared.checks.rules import RULES
from shared.finance.domain.sources import SOURCE_NAMES_DE
from shared.register.domain.catalogue import UNIT_NAMES_DE, load_default_catalogue
from shared.submissions.domain.documents import EXIT_REASON_NAMES_DE, FUNDING_NAMES_DE

SEVERITY = {"error": "Fehler", "warning": "Hinweis"}
DECISION = {"confirmed": "bestätigt", "waived": "erlassen"}
REVIEW_STATUS = {"checked": "geprüft", "approved": "freigegeben", "returned": "zur Korrektur zurückgewiesen",
                 "changed_since_approval": "geändert seit Freigabe"}
DOCUMENT_STATUS = {"received": "eingegangen", "late": "verspätet", "missing": "fehlt", "pending": "ausstehend"}
ROLE = {"provider": "Programmanbietende", "supervisor": "Aufsicht", "finance": "Finanzen", "admin": "Administration"}
SERVICE = {"reporting": "Meldungen", "supervision": "Aufsicht"}
DOCUMENT_KIND = {"invoice": "Rechnung", "capacity": "Kapazitätsmeldung"}
TREE_SECTION = {"start": "Start", "questions": "Fragen", "outcomes": "Ergebnisse", "descriptions": "Beschreibungen"}
PAYER = {"social_service": "Abrechnung an den Sozialdienst", "canton": "Forderung an den Kanton",
         "participant": "Rechnung an Teilnehmende"}
PAYER_SHARE = {"social_service": "Sozialdienst", "canton": "Kanton", "participant": "Ihr Anteil"}  # a column
CREDIT_CATEGORY = {"self_payer": "Selbstzahlende (Kantonsanteil)", "social_assistance": "Sozialhilfe"}
TOTALS = {"claimed": "Verrechnet", "allowed": "Zulässig", "reduction": "Kürzung"}
FIELD = {"programme_type": "Programmart", "name": "Name", "location": "Ort", "postcode": "PLZ", "places": "Plätze",
         "valid_from": "Gültig ab", "valid_to": "Gültig bis", "agreed_tariffs": "Vereinbarte Tarife",
         "website": "Website", "contact": "Kontakt", "active": "Aktiv", "goals": "Ziele",
         "target_groups": "Zielgruppen", "target_values": "Zielwerte", "monthly_contribution": "Monatlicher Beitrag",
         "reference": "Referenz", "comment": "Kommentar", "amount": "Betrag", "programmes": "Programmarten",
         "refugees": "Nur Flüchtlinge / vorläufig Aufgenommene", "label": "Bezeichnung", "provider": "Anbieter",
         "code": "Code"}
# Events by the class's qualified name (Aggregate.Event); the history of every aggregate reads them here.
EVENT = {
    "Invoice.Received": "Rechnung eingegangen",
    "Invoice.Corrected": "Korrektur eingegangen",
    "Invoice.Reevaluated": "Neu beurteilt",
    "CapacityReport.Received": "Kapazitätsmeldung eingegangen",
    "CapacityReport.Corrected": "Korrektur eingegangen",
    "InvoiceReview.Opened": "Prüfung eröffnet",
    "InvoiceReview.FindingReviewed": "Befund beurteilt",
    "InvoiceReview.FindingsReviewed": "Befund beurteilt (mehrere Zeilen)",
    "InvoiceReview.Approved": "Freigegeben",
    "InvoiceReview.ReturnedForCorrection": "Zur Korrektur zurückgewiesen",
    "Provider.Registered": "Erfasst", "Provider.Changed": "Geändert",
    "Offering.Registered": "Erfasst", "Offering.Changed": "Geändert",
    "ServiceAgreement.Concluded": "Abgeschlossen", "ServiceAgreement.Changed": "Geändert",
    "TariffEditionRecord.Published": "Veröffentlicht",
    "FeeWaiver.Decided": "Entscheid erfasst", "FeeWaiver.Changed": "Geändert", "FeeWaiver.Revoked": "Widerrufen",
    "Budget.Set": "Budget festgelegt", "Budget.Revised": "Budget geändert",
    "FederalCreditRule.Recorded": "Regel erfasst", "FederalCreditRule.Revised": "Regel geändert",
    "KeysShredded": "Personendaten gelöscht",
    "DecisionTree.Published": "Veröffentlicht", "DecisionTree.Revised": "Geändert",
    "SocialService.Registered": "Erfasst", "SocialService.Changed": "Geändert",
    "CostApprovalBook.Recorded": "Kostengutsprache erfasst", "CostApprovalBook.Changed": "Kostengutsprache geändert",
}


def _name(names: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return names.get(code, code)


def funding(code: str | None) -> str:
    return _name(FUNDING_NAMES_DE, code)


def unit(code: str | None) -> str:
    return _name(UNIT_NAMES_DE, code)


def exit_reason(code: str | None) -> str:
    return _name(EXIT_REASON_NAMES_DE, code)


def severity(code: str | None) -> str:
    return _name(SEVERITY, code)


def decision(code: str | None) -> str:
    return _name(DECISION, code)


def review_status(code: str | None) -> str:
    return _name(REVIEW_STATUS, code)


def document_status(code: str | None) -> str:
    return _name(DOCUMENT_STATUS, code)


def document_kind(code: str | None) -> str:
    """«invoice» → «Rechnung», «capacity» → «Kapazitätsmeldung»."""
    return _name(DOCUMENT_KIND, code)


def role(code: str | None) -> str:
    return _name(ROLE, code)


def source(code: str | None) -> str:
    return _name(SOURCE_NAMES_DE, code)


def field(code: str | None) -> str:
    return _name(FIELD, code)


def total(code: str | None) -> str:
    """«claimed» → «Verrechnet»: an invoice's totals (claimed, allowed, reduction)."""
    return _name(TOTALS, code)


def payer(code: str | None) -> str:
    return _name(PAYER, code)


def payer_share(code: str | None) -> str:
    return _name(PAYER_SHARE, code)


def credit_category(code: str | None) -> str:
    return _name(CREDIT_CATEGORY, code)


def tree_section(code: str | None) -> str:
    """A part of the decision tool's tree: «questions» → «Fragen»."""
    return _name(TREE_SECTION, code)


def check_title(code: str | None) -> str:
    rule = RULES.get(code or "")
    return rule.title_de if rule else (code or "")


def event(qualname: str) -> str:
    """«Invoice.Received» → «Rechnung eingegangen»; an unknown event keeps its own short name."""
    return EVENT.get(qualname) or qualname.rsplit(".", 1)[-1]


@functools.cache
def _default_programme_names() -> dict[str, str]:
    return {slug: pt.name_de for slug, pt in load_default_catalogue().programme_types.items()}


def programme(slug: str | None, catalogue=None) -> str:
    """The German name of a programme type (from the catalogue in force, or the packaged edition)."""
    if not slug:
        return ""
    if catalogue is not None:
        pt = catalogue.programme_types.get(slug)
        if pt is not None:
            return pt.name_de
    return _default_programme_names().get(slug, slug)


def actor(name: str | None, display_names: dict[str, str] | None = None) -> str:
    """Who did it, as a person reads it: «user:anna» → «anna» (or her display name); tokens, the system and
    the command line keep their prefix so one can tell them apart."""
    if not name:
        return ""
    if display_names and name in display_names:
        return display_names[name]
    return name.removeprefix("user:")


FILTERS = {
    "funding_de": funding, "unit_de": unit, "exit_reason_de": exit_reason, "severity_de": severity,
    "decision_de": decision, "review_status_de": review_status, "document_status_de": document_status,
    "document_kind_de": document_kind, "role_de": role, "source_de": source, "field_de": field, "total_de": total,
    "check_title": check_title, "event_de": event, "programme_de": programme, "actor_de": actor,
    "tree_section_de": tree_section, "payer_de": payer,
    "credit_category_de": credit_category, "payer_share_de": payer_share,
}
