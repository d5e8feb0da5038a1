"""What every page's layout needs: the service, the user's label for the header, the active menu."""
from __future__ import annotations

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.response import Template

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


def rendered(request: Request, template: str, context: dict, *, status_code: int = 200) -> Response:
    """The page rendered here, in the handler's thread. A returned Template is rendered on the event loop, where
    every other request of the process waits for it (profile under load: a fifth of the supervision service's
    time was templates rendered on the loop). Same context as a Template gets (request, csrf_input)."""
    body = request.app.template_engine.get_template(template).render(
        **Template(template, context=context).create_template_context(request))
    return Response(body, status_code=status_code, media_type=MediaType.HTML)
