"""Open311's routes in the scope matrix (shuren/access/tests/test_scope_matrix.py).

They are public by the GeoReport v2 standard: anyone reads, a partner's api_key files. So
they are exempt from the login walk; what keeps them safe is what they can show (public
categories only, no personal information, the same answer whoever asks), checked in
test_open311.py (test_a_login_changes_nothing_a_read_shows among them).
"""

from __future__ import annotations

from shuren.access.tests.test_scope_matrix import Exempt

PUBLIC = "Open311 is public by its standard: public categories only, no personal information"
FMT = r"\.(?P<fmt>json|xml)$"

ROUTES = {
    "open311/v2/": Exempt("redirects to the public discovery document"),
    "open311/v2/^discovery" + FMT: Exempt("the public discovery document; holds no data"),
    "open311/v2/^services" + FMT: Exempt(PUBLIC),
    r"open311/v2/^services/(?P<code>[-\w]{1,40})" + FMT: Exempt(PUBLIC),
    "open311/v2/^requests" + FMT: Exempt(PUBLIC + "; filing needs a partner's api_key"),
    r"open311/v2/^requests/(?P<number>[-\w]{1,40})" + FMT: Exempt(PUBLIC),
    r"open311/v2/^tokens/(?P<value>[-\w]{1,40})" + FMT: Exempt(PUBLIC),
}
