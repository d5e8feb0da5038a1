"""What every page's layout needs: the service, the user's label for the header, the active menu."""
from __future__ import annotations

from litestar import Request

from services.common.page_guard import service_of
from shared.access.domain.roles import Principal
from shared.presentation.labels import role
from shared.register.domain.register import provider_id


def page_context(request: Request, principal: Principal | None, **extra) -> dict:
    """The template context of a page: the layout's values and the page's own (`extra`)."""
    label = ""
    if principal is not None:
        label = principal.name.removeprefix("user:")
        if principal.provider:
            provider = request.app.state.portal.supervision.get_or_none(provider_id(principal.provider))
            label += f" · {provider.name if provider else principal.provider}"
        else:
            label += f" · {role(principal.role)}"
    return {"service": service_of(request), "principal": principal, "user_label": label, **extra}
