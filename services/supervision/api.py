"""JSON API of the supervision service: thin handlers, one application call each."""
from __future__ import annotations

from uuid import UUID

from litestar import get, post
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from services.common.auth import current_principal, require
from services.common.errors import DetailOut
from services.supervision.schemas import ApprovalIn, OfferingIn, ReturnIn, ReviewIn
from shared.access.domain.roles import Principal
from shared.kernel.errors import Invalid
from shared.kernel.periods import parse_period
from shared.portal import Portal
from shared.register.application.views import offering_dict
from shared.register.domain.offering import terms_from_record

DEPS = {"principal": Provide(current_principal)}


@get("/overview", guards=[require("supervise")], sync_to_thread=True)
def get_overview(portal: Portal, period: str) -> dict:
    """All 26 providers of one month: invoice and capacity report received / late / missing, amounts, findings."""
    month = parse_period(period)
    portal.views.catch_up()  # every event committed before this request is in the read models
    return portal.views.overview(month)


@get("/exits", guards=[require("supervise")], sync_to_thread=True)
def get_exits(portal: Portal, programme: str = "integration-arbeit",
              year: int | None = Parameter(required=False, ge=2000, le=2999, default=None)) -> dict:
    """Exits by reason (domain-rules §7) per provider; for integration.arbeit the three providers of the test
    programme (Regiomech, Oltech, Netzwerk Grenchen). One exit per participant and month."""
    if programme not in portal.supervision.catalogue().programme_types:
        raise Invalid(f"Unbekannte Programmart «{programme}»", "programme", programme)
    portal.views.catch_up()
    return portal.views.exits(programme, year)


@get("/providers", guards=[require("supervise")], sync_to_thread=True)
def list_providers(portal: Portal) -> list[dict]:
    return [{"slug": p.slug, "name": p.name, "website": p.website, "active": p.active,
             "integration_arbeit_test": p.integration_arbeit_test} for p in portal.supervision.providers()]


@get("/invoices/{invoice_id:uuid}", guards=[require("supervise")], sync_to_thread=True)
def get_invoice(invoice_id: UUID, portal: Portal,
                version: int | None = Parameter(required=False, ge=1, default=None)) -> dict:
    invoice = portal.reporting.invoice(None, invoice_id)
    return portal.reporting.invoice_view(invoice, version)


@get("/invoices/{invoice_id:uuid}/history", guards=[require("supervise")], sync_to_thread=True)
def invoice_history(invoice_id: UUID, portal: Portal) -> list[dict]:
    return portal.reporting.history(None, invoice_id)


@post("/findings/{invoice_id:uuid}/{row:int}/{code:str}/review", guards=[require("review")], dependencies=DEPS,
      sync_to_thread=True, status_code=201)
def review_finding(invoice_id: UUID, row: int, code: str, data: ReviewIn, principal: Principal,
                   portal: Portal) -> dict:
    """The supervisor confirms or waives a finding, with a comment; recorded as an event."""
    return portal.supervision.review_finding(invoice_id, row, code, data.decision, data.comment, principal.name)


@post("/invoices/{invoice_id:uuid}/approval", guards=[require("review")], dependencies=DEPS, sync_to_thread=True,
      status_code=201, responses={409: ResponseSpec(data_container=DetailOut,
                                                    description="Diese Version ist bereits freigegeben")})
def approve_invoice(invoice_id: UUID, data: ApprovalIn, principal: Principal, portal: Portal) -> dict:
    """Approve the current version: locks the provider-month; a later correction needs approval again. A second
    approval of the same version is refused (409), not recorded again."""
    portal.supervision.approve(invoice_id, data.comment, principal.name)
    return portal.reporting.invoice_view(portal.reporting.invoice(None, invoice_id), with_lines=False)


@post("/invoices/{invoice_id:uuid}/return", guards=[require("review")], dependencies=DEPS, sync_to_thread=True,
      status_code=201)
def return_invoice(invoice_id: UUID, data: ReturnIn, principal: Principal, portal: Portal) -> dict:
    """Return the invoice to the provider for correction, with a reason."""
    portal.supervision.return_for_correction(invoice_id, data.reason, principal.name)
    return portal.reporting.invoice_view(portal.reporting.invoice(None, invoice_id), with_lines=False)


@get("/providers/{slug:str}/offerings", guards=[require("supervise")], sync_to_thread=True)
def list_offerings(slug: str, portal: Portal) -> list[dict]:
    portal.supervision.provider(slug)
    return [offering_dict(o) for o in portal.supervision.offerings(slug)]


@post("/providers/{slug:str}/offerings", guards=[require("register")], dependencies=DEPS, sync_to_thread=True,
      status_code=201)
def register_offering(slug: str, data: OfferingIn, principal: Principal, portal: Portal) -> dict:
    """Register an offering: agreed tariffs at or below the maximum of its edition, no overlapping validity."""
    off = portal.supervision.register_offering(slug, data.code, data.terms(), principal.name)
    return offering_dict(terms_from_record(off))


HANDLERS = [get_overview, get_exits, list_providers, get_invoice, invoice_history, review_finding,
            approve_invoice, return_invoice, list_offerings, register_offering]

