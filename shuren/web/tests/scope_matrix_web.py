"""The web app's own routes in the scope matrix (access/tests/test_scope_matrix.py): 我的楼栋 is
a leader's register; whoever leads no building, lane or street has none (404). My data is
everyone's own."""

from __future__ import annotations

from shuren.access.tests.test_scope_matrix import PlainRoute

LEADERS = {"demo-louzhang", "demo-louzhang2", "demo-xiangzhang", "demo-jiezhang"}

ROUTES = {
    "buildings/": PlainRoute("/buildings/", lambda role: 200 if role in LEADERS else 404),
    # 我的数据: everyone downloads what is held on themselves, and only that (test_my_data.py).
    "me/data/": PlainRoute("/me/data/", method="post"),
}
