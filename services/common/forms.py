"""Page forms both services share: how a form body is read, the login form, values as people type them."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from litestar.enums import RequestEncodingType
from litestar.params import Body

from shared.kernel.money import parse_decimal

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)  # the `data` of a page's POST handler


@dataclass
class LoginForm:
    username: str = ""
    password: str = ""
    next: str = ""


def cleaned(form, limit: int = 500) -> dict[str, str]:
    """Every field of a form as stripped text of at most `limit` characters (kept to show the form again)."""
    return {k: str(v).strip()[:limit] for k, v in asdict(form).items()}


def typed_amount(text: str) -> str:
    """An amount as Swiss users type it (1'736.00, 75,50, CHF 50) as a plain number; left as typed if it is
    none, so that the use case refuses it naming the value."""
    try:
        return str(parse_decimal(text))
    except ValueError:
        return text
