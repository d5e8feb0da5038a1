"""Behind HTTPS (AMI_SECURE_COOKIES=1) the cookies are `__Host-` prefixed, Secure, HttpOnly where they can be."""
from __future__ import annotations

from litestar.testing import TestClient


def test_host_prefixed_secure_cookies(portal, settings):
    from services.reporting.app import create_app

    secure = settings.with_(secure_cookies=True)
    portal.supervision.create_account("anna", "correct-horse-battery-staple", "provider", "regiomech", "test")
    with TestClient(create_app(secure, portal=portal), base_url="https://testserver.local") as client:
        page = client.get("/login")
        set_cookie = page.headers.get_list("set-cookie")
        csrf = next(c for c in set_cookie if c.startswith("__Host-ami_csrf="))
        assert "Secure" in csrf and "Path=/" in csrf and "Domain" not in csrf
        token = client.cookies.get("__Host-ami_csrf")
        r = client.post("/login", data={"username": "anna", "password": "correct-horse-battery-staple",
                                        "_csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303, r.text
        session = next(c for c in r.headers.get_list("set-cookie") if c.startswith("__Host-ami_session="))
        assert "Secure" in session and "HttpOnly" in session and "samesite=strict" in session.lower()
        assert "Domain" not in session and "Path=/" in session
