"""The demo year's cast: each provider's offerings, its habits, and where the demo plants irregularities.

Fictitious but plausible: the 26 providers of data/providers.csv with two or three programme types each,
integration.arbeit at Regiomech, Oltech and Netzwerk Grenchen (the test programme, domain-rules §7),
places, towns (postcode and place as in swisstopo's localities, in the regions of the brochure's map: Solothurn,
Olten, Grenchen, Basel, Liestal, Aarau and nearby), agreed tariffs below the maximum for some offerings.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OfferingPlan:
    code: str
    programme_type: str
    name: str
    places: int
    town: str
    postcode: str
    agreed: dict[str, str] = field(default_factory=dict)  # unit -> agreed tariff below the maximum
    valid_to: str | None = None  # an offering that ended during the year


@dataclass(frozen=True)
class ProviderPlan:
    slug: str
    prefix: str  # of participant numbers and offering codes
    offerings: tuple[OfferingPlan, ...]
    late_rate: float = 0.06  # share of months sent after the deadline
    decimal_comma: bool = False  # Swiss Excel with comma decimals and Windows-1252
    report_first: float = 0.6  # share of months with the capacity report before the invoice


def _o(code, programme_type, name, places, town, postcode, agreed=None, valid_to=None) -> OfferingPlan:
    return OfferingPlan(code, programme_type, name, places, town, postcode, agreed or {}, valid_to)


PROVIDERS: tuple[ProviderPlan, ...] = (
    ProviderPlan("amie-basel", "AB", (
        _o("AB-JP", "jugendprogramm", "AMIE Junge Mütter", 12, "Basel", "4057"),
        _o("AB-CO", "coaching", "AMIE Coaching", 10, "Dornach", "4143"))),
    ProviderPlan("dock-basel", "DB", (
        _o("DB-B1", "beschaeftigung-1", "DOCK Arbeitsplätze", 22, "Basel", "4053"),
        _o("DB-B2", "beschaeftigung-2", "DOCK Stabilisierung", 10, "Basel", "4053"),
        _o("DB-TL", "teillohn", "DOCK Teillohn", 8, "Breitenbach", "4226")), decimal_comma=True),
    ProviderPlan("heks", "HK", (
        _o("HK-CO", "coaching", "HEKS Coaching Integration", 14, "Solothurn", "4500"),
        _o("HK-Q", "qualifizierung", "HEKS Deutsch und Arbeit", 12, "Solothurn", "4500",
           {"assignment_day": "75.00"}),
        _o("HK-TR", "traumaprogramm", "HEKS Traumasensible Begleitung", 6, "Aarau", "5000"))),
    ProviderPlan("impiega", "IM", (
        _o("IM-Q", "qualifizierung", "Impiega Qualifizierung", 16, "Gerlafingen", "4563"),
        _o("IM-B1", "beschaeftigung-1", "Impiega Werkstatt", 18, "Gerlafingen", "4563")), report_first=0.8),
    ProviderPlan("innopark", "IP", (
        _o("IP-Q", "qualifizierung", "Innopark Praxisjahr", 14, "Zuchwil", "4528"),
        _o("IP-CO", "coaching", "Innopark Jobcoaching", 12, "Zuchwil", "4528", {"coaching_hour": "180.00"})),
        late_rate=0.4),
    ProviderPlan("netzwerk-grenchen", "NG", (
        _o("NG-IA", "integration-arbeit", "integration.arbeit Grenchen", 12, "Grenchen", "2540"),
        _o("NG-B1", "beschaeftigung-1", "Netzwerk Werkstätten", 20, "Grenchen", "2540"),
        _o("NG-Q", "qualifizierung", "Netzwerk Berufseinstieg", 10, "Grenchen", "2540"))),
    ProviderPlan("oltech", "OT", (
        _o("OT-IA", "integration-arbeit", "integration.arbeit Olten", 14, "Olten", "4600"),
        _o("OT-Q", "qualifizierung", "Oltech Qualifizierung", 16, "Olten", "4600",
           {"assignment_day": "78.00"}),
        _o("OT-B2", "beschaeftigung-2", "Oltech Recycling", 12, "Olten", "4600")), decimal_comma=True),
    ProviderPlan("overall", "OV", (
        _o("OV-B1", "beschaeftigung-1", "Overall Tagesstruktur", 16, "Solothurn", "4500"),
        _o("OV-B1R", "beschaeftigung-1-r", "Overall Programm R", 8, "Solothurn", "4500"),
        _o("OV-CO", "coaching", "Overall Coaching", 10, "Solothurn", "4500"))),
    ProviderPlan("perspektive-so", "PS", (
        _o("PS-JP", "jugendprogramm", "Perspektive Startklar", 14, "Solothurn", "4500"),
        _o("PS-CO", "coaching", "Perspektive Coaching", 12, "Solothurn", "4500"),
        _o("PS-Q", "qualifizierung", "Perspektive Arbeitstraining", 12, "Solothurn", "4500"))),
    ProviderPlan("regiomech", "RM", (
        _o("RM-IA", "integration-arbeit", "integration.arbeit Zuchwil", 16, "Zuchwil", "4528"),
        _o("RM-Q", "qualifizierung", "Regiomech Qualifizierung Metall", 20, "Zuchwil", "4528",
           {"assignment_day": "75.00"}),
        _o("RM-B1", "beschaeftigung-1", "Regiomech Montage", 18, "Zuchwil", "4528"))),
    ProviderPlan("srk-solothurn", "SR", (
        _o("SR-CO", "coaching", "SRK Integrationscoaching", 16, "Solothurn", "4500"),
        _o("SR-TR", "traumaprogramm", "SRK Traumaprogramm", 8, "Solothurn", "4500"))),
    ProviderPlan("solodaris", "SD", (
        _o("SD-B1", "beschaeftigung-1", "Solodaris Ateliers", 20, "Balsthal", "4710"),
        _o("SD-B2", "beschaeftigung-2", "Solodaris Tagesstätte", 12, "Balsthal", "4710"),
        _o("SD-TL", "teillohn", "Solodaris Teillohn", 6, "Balsthal", "4710")), decimal_comma=True),
    ProviderPlan("sove", "SV", (
        _o("SV-B1", "beschaeftigung-1", "SOVE Brocki", 18, "Solothurn", "4500"),
        _o("SV-Q", "qualifizierung", "SOVE Qualifizierung Verkauf", 10, "Solothurn", "4500"),
        _o("SV-B2", "beschaeftigung-2", "SOVE Pilot Velowerkstatt", 6, "Solothurn", "4500",
           valid_to="2025-06-30"))),
    ProviderPlan("suchthilfe-ost", "SO", (
        _o("SO-SH", "suchthilfe-stundenlohn", "Suchthilfe Ost Arbeit im Stundenlohn", 14, "Olten", "4600"),
        _o("SO-B1", "beschaeftigung-1", "Suchthilfe Ost Tagesstruktur", 10, "Olten", "4600"))),
    ProviderPlan("vebo", "VB", (
        _o("VB-B2", "beschaeftigung-2", "VEBO Montage", 16, "Oensingen", "4702"),
        _o("VB-Q", "qualifizierung", "VEBO Qualifizierung Logistik", 14, "Oensingen", "4702"),
        _o("VB-TL", "teillohn", "VEBO Teillohn", 8, "Oensingen", "4702")), report_first=0.9),
    ProviderPlan("visiocoaching", "VC", (
        _o("VC-CO", "coaching", "VisioCoaching", 18, "Solothurn", "4500", {"coaching_hour": "190.00"}),
        _o("VC-JP", "jugendprogramm", "VisioTraining Jugend", 10, "Solothurn", "4500"))),
    ProviderPlan("vsp-bl", "VS", (
        _o("VS-B1", "beschaeftigung-1", "VSP Werkstatt Dornach", 12, "Dornach", "4143"),
        _o("VS-CO", "coaching", "VSP Coaching", 8, "Liestal", "4410"))),
    ProviderPlan("wende", "WE", (
        _o("WE-B1R", "beschaeftigung-1-r", "Wende Programm R", 10, "Olten", "4600"),
        _o("WE-CO", "coaching", "Wende Coaching", 8, "Olten", "4600"))),
    ProviderPlan("zug-pferd", "ZP", (
        _o("ZP-B1", "beschaeftigung-1", "Zug-Pferd Stall und Hof", 10, "Grenchen", "2540"),
        _o("ZP-TR", "traumaprogramm", "Zug-Pferd tiergestützt", 6, "Grenchen", "2540"))),
    ProviderPlan("trinamo", "TN", (
        _o("TN-JP", "jugendprogramm", "Trinamo Jugendwerkstatt", 14, "Aarau", "5000"),
        _o("TN-Q", "qualifizierung", "Trinamo Arbeitsintegration", 14, "Aarau", "5000")), decimal_comma=True),
    ProviderPlan("hohenlinden", "HL", (
        _o("HL-B2", "beschaeftigung-2", "Hohenlinden Tagesstruktur", 12, "Solothurn", "4500"),
        _o("HL-SH", "suchthilfe-stundenlohn", "Hohenlinden Stundenlohn", 8, "Solothurn", "4500")),
        late_rate=0.25),
    ProviderPlan("parterre-tangram", "PT", (
        _o("PT-B1", "beschaeftigung-1", "Tangram Gastro", 14, "Solothurn", "4500"),
        _o("PT-Q", "qualifizierung", "Tangram Qualifizierung Gastro", 10, "Solothurn", "4500"))),
    ProviderPlan("jobfactory", "JF", (
        _o("JF-JP", "jugendprogramm", "Jobfactory Junior", 16, "Basel", "4057", {"assignment_day": "95.00"}),
        _o("JF-Q", "qualifizierung", "Jobfactory Praxis", 12, "Olten", "4600"))),
    ProviderPlan("prowork", "PW", (
        _o("PW-Q", "qualifizierung", "Prowork Qualifizierung", 12, "Grenchen", "2540"),
        _o("PW-B1", "beschaeftigung-1", "Prowork Industrie", 16, "Grenchen", "2540"))),
    ProviderPlan("jsw", "JS", (
        _o("JS-JP", "jugendprogramm", "JSW Brückenangebot", 12, "Solothurn", "4500"),
        _o("JS-CO", "coaching", "JSW Lehrstellencoaching", 10, "Solothurn", "4500"))),
    ProviderPlan("profil", "PR", (
        _o("PR-CO", "coaching", "Profil Jobcoaching", 14, "Olten", "4600"),
        _o("PR-Q", "qualifizierung", "Profil Arbeitstraining", 10, "Olten", "4600")), decimal_comma=True),
)

# Provider-months that never arrive (documents missing in the overview).
MISSING_INVOICES = frozenset({("wende", 11), ("wende", 12), ("zug-pferd", 12), ("jsw", 7)})
MISSING_REPORTS = frozenset({("jsw", 7), ("jsw", 8), ("overall", 4), ("prowork", 10), ("heks", 2),
                             ("regiomech", 11)})

# Irregularities planted on purpose: every check code of domain-rules §4 at least once in the first
# quarter (so a three-month demo shows them all), and again later in the year.
PLANTED: tuple[tuple[str, int, str], ...] = (
    ("regiomech", 1, "tariff_above_max"), ("heks", 1, "tariff_above_agreed"),
    ("impiega", 1, "unit_not_billable"),
    ("perspektive-so", 1, "quarter_hour"), ("oltech", 1, "days_above_month"),
    ("netzwerk-grenchen", 2, "days_above_working_days"), ("regiomech", 2, "dropout_cap"),
    ("suchthilfe-ost", 1, "monthly_cap"), ("hohenlinden", 2, "social_assistance_only"),
    ("dock-basel", 1, "cost_approval_missing"), ("trinamo", 2, "amount_mismatch"),
    ("prowork", 1, "duplicate_line"), ("sove", 3, "period_not_billable"),
    ("vsp-bl", 2, "offering_not_registered"), ("jobfactory", 3, "capacity_exceeded"),
    ("innopark", 3, "supplement"),
    ("oltech", 5, "tariff_above_agreed"), ("vebo", 6, "days_above_month"),
    ("overall", 7, "cost_approval_missing"),
    ("regiomech", 8, "amount_mismatch"), ("sove", 7, "offering_ended"), ("solodaris", 9, "unit_not_billable"),
    ("hohenlinden", 10, "monthly_cap"), ("profil", 10, "duplicate_line"),
    ("netzwerk-grenchen", 11, "dropout_cap"),
    ("jobfactory", 6, "supplement"),
)
# late_submission and capacity_report_missing come from the providers' habits and MISSING_REPORTS;
# «supplement» is a second invoice for a month that bills one line again (duplicate_line across
# documents); «offering_ended» bills an offering after its end (period_not_billable).
RETURNED = ("regiomech", 8)  # the supervisor returns this invoice for correction instead of approving it
CORRECTED_AFTER_APPROVAL = ("impiega", 3)  # corrected after its approval: «changed since approval»

ACCOUNTS = (
    ("demo-regiomech", "provider", "regiomech"),
    ("demo-aufsicht", "supervisor", None),
    ("demo-finanzen", "finance", None),
)
PASSWORD = "demo-passwort-2025"  # noqa: S105 - the documented demo password, printed by `ami demo`
