"""Cross-site request forgery: every unsafe request carries a token of the
browser's own, in the form's hidden `csrf_token` field or (htmx) the
`X-CSRF-Token` header. The token is an HMAC (itsdangerous) of a key that is the
signed-in session's own, or, before sign-in, a random browser key kept in an
HttpOnly cookie; a forged page cannot read either."""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
BROWSER_COOKIE = "kim_browser"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfRefused(Exception):
    """An unsafe request without a valid token: HTTP 403 with a page saying why."""


def new_browser_key() -> str:
    return secrets.token_urlsafe(32)


class CsrfTokens:
    def __init__(self, secret: str) -> None:
        self._signer = URLSafeSerializer(secret, salt="kim-console-csrf")

    def token_for(self, key: str) -> str:
        return self._signer.dumps(key)

    def check(self, key: str | None, token: str | None) -> None:
        if not key or not token:
            raise CsrfRefused()
        try:
            signed = self._signer.loads(token)
        except BadSignature as error:
            raise CsrfRefused() from error
        if not isinstance(signed, str) or not hmac.compare_digest(signed, key):
            raise CsrfRefused()
