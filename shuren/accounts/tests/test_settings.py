"""Settings: development works with no environment; production refuses to start without a
secret key and allowed hosts; bad values fail loudly; check --deploy is clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = secrets.token_urlsafe(60)
PRODUCTION = {
    "SHUREN_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "shuren.example.cn",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process with only the given environment (plus PATH)."""
    clean = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", **env}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_development_needs_no_environment_at_all():
    result = manage("check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_with_its_environment_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SECRET_KEY": ""}, "needs SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": "too-short"}, "at least 50 characters"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, complaint):
    result = manage("check", **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SHUREN_ENV": "staging"}, "SHUREN_ENV must be development, test or production"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECURE_HSTS_SECONDS": "one year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"SECURE_COOKIES": "sometimes"}, "SECURE_COOKIES must be true or false"),
        ({"DATABASE_URL": "mysql://db/shuren"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ],
)
def test_a_bad_value_fails_loudly(env, complaint):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr
