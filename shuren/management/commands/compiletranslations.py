"""Compile every django.po under shuren/ to .mo with polib, so no system gettext is needed."""

from pathlib import Path

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation files into .mo files (pure Python)."

    def handle(self, *args: object, **options: object) -> None:
        root = Path(settings.BASE_DIR) / "shuren"
        count = 0
        for po_path in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            catalog = polib.pofile(str(po_path))
            catalog.save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"compiled {count} translation file(s)")
