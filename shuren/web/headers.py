"""The security headers of every answer that Django's SecurityMiddleware does not set: the
Content-Security-Policy, the Permissions-Policy, and no caching of the API's answers.

The policy names no origin but our own and allows no inline script or style, so injected markup
can neither run nor restyle a page: every script and stylesheet is a static file (htmx is
vendored; its inline indicator style is turned off in base.html and provided by shuren.css).
Images may also be data: URLs (the page icon). Django 5.2 has no CSP of its own (6.0 will)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
# No page uses a sensor, a camera stream, payments or the like; a photo is chosen through the
# file picker, which needs none of them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)
API_PREFIX = "/api/"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # With DEBUG on, an error is Django's technical page, all inline style and script, for
        # the developer's eyes only: it is left readable.
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(API_PREFIX):
            # The API's answers are the caller's own scoped data (names, masked phones): no
            # shared cache, and no copy left in the browser's.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
