"""Settings: development works with no environment; production refuses to start without a
secret key, allowed hosts and the encryption keys; bad values fail loudly; check --deploy is
clean."""

from __future__ import annotations

import base64
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
    "SHUREN_FIELD_KEYS": f"k1:{base64.b64encode(os.urandom(32)).decode()}",
    "SHUREN_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
}
TEST_FIELD_KEY = "c2h1cmVuLVRFU1QtZmllbGQta2V5LW5vdC1zZWNyZXQ="  # settings.SHUREN_TEST_KEYS


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process with only the given environment (plus PATH)."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "LANG": "C.UTF-8",
        **env,
    }
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
        ({"SHUREN_FIELD_KEYS": ""}, "needs SHUREN_FIELD_KEYS"),
        ({"SHUREN_INDEX_KEY": ""}, "SHUREN_INDEX_KEY"),
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
        ({"SHUREN_FIELD_KEYS": f"k1:{TEST_FIELD_KEY}"}, "shuren.E002"),
        ({"SHUREN_FIELD_KEYS": "k1:c2hvcnQ="}, "must be 32 bytes"),
        ({"SHUREN_FIELD_KEYS": "no key id"}, "each key is id:base64"),
        ({"SHUREN_INDEX_KEY": "not base64 at all!"}, "SHUREN_INDEX_KEY"),
    ],
)
def test_production_refuses_the_public_test_key_and_malformed_keys(env, complaint):
    result = manage("check", "--deploy", **{**PRODUCTION, **env})
    assert result.returncode != 0
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
