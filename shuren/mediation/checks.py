"""The system check that warns when this machine cannot print the mediation papers (no
WeasyPrint, no pango, or no Chinese font): `make demo` still runs, and the pages say what to
install (papers.papers_available)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register
from django.utils import translation

from shuren.mediation import papers


@register()
def check_papers(app_configs: Any, **kwargs: Any) -> list[Warning]:
    with translation.override("en"):  # for whoever runs manage.py, as Django's own checks
        problems = papers.papers_problems()
    if not problems:
        return []
    return [
        Warning(
            "The mediation papers (agreement, forms, case file PDFs) cannot be printed: "
            + " ".join(problems),
            hint=(
                "On Debian: apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 "
                "(WeasyPrint's libraries and a Chinese font); pip install weasyprint."
            ),
            id="mediation.W001",
        )
    ]
