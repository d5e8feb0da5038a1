"""The funding export of a month, quarter or year for a portal: the split of every line from the read model,
with the period, the stand of the store and the names the spreadsheet shows (presentation/exports.py)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from shared.finance.application.reconciliation import Scope, funding_report, social_service_of
from shared.finance.application.sums import sums_of
from shared.presentation.exports import ExportContext, funding_csv_chunks, funding_xlsx
from shared.presentation.format import date_de, local_time, scope_de


def export_context(portal, scope: Scope, *, ids: bool = False) -> ExportContext:
    """The title (period), the stand (now in Swiss time, and the events the read model holds), the names."""
    views = portal.views
    positions = views.store.positions()
    tz = portal.settings.timezone
    now = local_time(datetime.now(UTC), tz)
    stand = (f"Stand {date_de(now)} Uhr (Schweizer Zeit) · Meldungen bis Ereignis {positions.get('reporting', 0)}, "
             f"Aufsicht bis Ereignis {positions.get('supervision', 0)}")
    rules = {r.id: r.label or f"ab {date_de(r.valid_from)}" for r in portal.supervision.credit_rules()}
    when = f"Jahr {scope.year}" if scope.kind == "year" else scope_de(scope)
    return ExportContext(title=f"Finanzierung nach Quelle – {when}", stand=stand,
                         provider_names=dict(views.providers()), rule_labels=rules,
                         catalogue=portal.supervision.catalogue(), timezone=tz, ids=ids,
                         social_service=social_service_of(portal),
                         social_service_names={c: e.name for c, e in portal.supervision.social_services().items()})


def funding_export_xlsx(portal, scope: Scope, *, ids: bool = False) -> bytes:
    """Sheets «Zeilen» (every line and its split), «Anbieter» (the totals per provider) and «Sozialdienste»."""
    splits = portal.views.funding_splits([str(p) for p in scope.periods])
    report = funding_report(portal, scope, sums=sums_of(splits))
    return funding_xlsx(splits, report, export_context(portal, scope, ids=ids))


def funding_export_csv(portal, scope: Scope, *, ids: bool = False) -> Iterator[bytes]:
    """Every line and its split, in chunks (the lines are read first, the text made as it is sent)."""
    splits = portal.views.funding_splits([str(p) for p in scope.periods])
    return funding_csv_chunks(splits, export_context(portal, scope, ids=ids))
