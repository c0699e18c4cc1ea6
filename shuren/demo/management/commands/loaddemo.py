"""`manage.py loaddemo`: load the Guicheng demo (idempotent) and print the demo logins."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.demo.actions import load_demo

# What each count in the summary is called (Chinese, English in brackets).
LABELS = {
    "places": "地点 (places)",
    "teams": "队伍 (teams)",
    "persons": "人员 (persons)",
    "households": "户 (households)",
    "residents": "住户成员 (residents)",
    "shops": "商铺 (shops)",
    "posts": "职务 (posts)",
    "memberships": "队员 (memberships)",
    "users": "账号 (logins)",
    "cases": "事项 (cases)",
    "case_events": "事项记录 (case events)",
    "mediations": "调解案件 (mediation cases)",
    "elevators": "加装电梯项目 (elevator projects)",
    "votes": "业主表决 (owners' votes)",
    "meetings": "会议 (meetings)",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "Load the Guicheng demo (桂城街道, 23 communities, 149 estates); safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when SHUREN_ENV=production (a public demo server).",
        )

    def handle(self, *args: Any, allow_production: bool, **options: Any) -> None:
        # Fourteen logins with one shared, printed password must not appear on a real server
        # by accident.
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "生产环境不载入演示数据 (refusing to load the demo in production); "
                "如确为演示服务器，请加 --allow-production"
                " (add --allow-production for a demo server)"
            )
        password = settings.SHUREN_DEMO_PASSWORD
        started = time.monotonic()
        result = load_demo(password=password)
        seconds = time.monotonic() - started

        if result.changed_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    f"桂城演示数据已载入 (Guicheng demo loaded) — {seconds:.1f} 秒 (s)"
                )
            )
            created = "，".join(
                f"{LABELS[name]} {count:,}" for name, count in result.created.items() if count
            )
            self.stdout.write(f"  新建 (created): {created}")
            if result.users_changed:
                self.stdout.write(f"  更新账号 (logins updated): {result.users_changed}")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已齐全，未作任何改动 (demo already loaded, nothing changed)"
                    f" — {seconds:.1f} 秒 (s)"
                )
            )

        header = ("用户名 (username)", "角色 (role)", "范围 (where)")
        rows = [(login.username, login.role, login.where) for login in result.logins]
        widths = [max(_width(row[i]) for row in [header, *rows]) + 2 for i in range(2)]
        self.stdout.write("\n演示账号 (demo logins):")
        for row in [header, *rows]:
            self.stdout.write("  " + _pad(row[0], widths[0]) + _pad(row[1], widths[1]) + row[2])
        self.stdout.write(f"\n所有演示账号的密码 (password of every demo login): {password}")
        self.stdout.write(
            "  可用环境变量 SHUREN_DEMO_PASSWORD 另设密码后重新运行"
            " (set SHUREN_DEMO_PASSWORD and run again to choose another)"
        )
