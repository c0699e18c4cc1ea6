"""Shuren's one settings module: every value comes from the environment, with loud failures."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


SHUREN_ENV = env_str("SHUREN_ENV", "development")
if SHUREN_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"SHUREN_ENV must be development, test or production, not {SHUREN_ENV!r}"
    )
PRODUCTION = SHUREN_ENV == "production"


def _local_secret_key() -> str:
    """A development secret generated once per checkout, never committed (.gitignore)."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SHUREN_ENV=production needs SECRET_KEY in the environment")
    SECRET_KEY = _local_secret_key()
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SHUREN_ENV=production needs ALLOWED_HOSTS in the environment")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_htmx",
    # Only for its static files: the API's docs page then loads Swagger UI from this site, not
    # from a CDN the Content-Security-Policy does not name.
    "ninja",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    # RQ's queues for the Redis task backend (installed always: its system checks and the
    # tests of that backend need it; it does nothing while the database backend is chosen).
    "django_rq",
    "django_tasks_rq",
    "shuren",
    "shuren.accounts",
    "shuren.places",
    "shuren.people",
    "shuren.access",
    "shuren.kernel",
    "shuren.workdays",
    "shuren.cases",
    "shuren.mediation",
    "shuren.deliberation",
    # After cases: its receivers (a moved subtree's tallies) run after the matters moved.
    "shuren.insights",
    "shuren.notify",
    "shuren.web",
    "shuren.api",
    "shuren.demo",
    # Last: its catalog then never shadows another app's words for the same English.
    "shuren.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, Permissions-Policy, no-store on the API (docs/security.md).
    "shuren.web.headers.SecurityHeadersMiddleware",
    # No NUL or out-of-range number reaches the database: a 400 instead (shuren/web/guard.py).
    "shuren.web.guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside CSRF, so its refusals are recorded too (every 403 is an audit entry).
    "shuren.audit.middleware.DeniedRequestsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shuren.accounts.middleware.SessionTimeoutMiddleware",
    "shuren.accounts.middleware.PasswordHandoverMiddleware",
    "shuren.accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes last, as its docs require
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shuren.urls"
WSGI_APPLICATION = "shuren.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shuren" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shuren.web.context_processors.shuren",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so ---------------
_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'shuren.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_sqlite)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
except Exception as exc:  # dj-database-url raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the task worker read while one writes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not :memory:, so live-server browser tests share it; SHUREN_TEST_DB lets
    # parallel runs in one checkout keep apart.
    _test_db = env_str("SHUREN_TEST_DB", "test")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"{_test_db}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env_bool("SHUREN_PG_PREPARE", default=True):
        # Django turns psycopg's prepared statements off (prepare_threshold None). Only the
        # cursor of shuren/rawsql.py binds on the server, so only its few hot statements are
        # prepared; the ORM's client-side-binding cursors never are, whatever the threshold.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
else:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks ------------------------------------------------------------------------
# SHUREN_TASK_BACKEND chooses where tasks wait for their worker:
# - "database" (the default): django-tasks-db, rows in our own database; its worker is
#   `manage.py db_worker` (`make demo` starts one). Nothing more to run: right for the demo,
#   the tests and a small installation.
# - "redis" (production): django-tasks-rq, jobs in the Redis at REDIS_URL
#   (redis://[:password@]host:6379/0, rediss:// for TLS; another database number per
#   installation sharing a Redis); its worker is `manage.py rqworker default --job-class
#   django_tasks_rq.Job --with-scheduler` (the scheduler enqueues the retries that wait their
#   backoff), under systemd like the web server. docs/integrations.md tells how.
# Either way `manage.py taskstatus` prints the queue's lag, queued and failed tasks.
SHUREN_TASK_BACKEND = env_str("SHUREN_TASK_BACKEND", "database")
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
# No django-rq dashboard in the admin: it opens to any staff member with a Django permission
# (not to the system administrator's role only) and brings JSON endpoints of its own; the
# failures are read by taskstatus and re-run through kernel.tasks.
RQ_SHOW_ADMIN_LINK = False
# When a task is enqueued is ours to say (kernel.tasks.enqueue_on_commit): django-rq enqueues
# at once what it is handed.
RQ = {"COMMIT_MODE": "auto"}
TASKS: dict[str, dict[str, Any]]
if SHUREN_TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif SHUREN_TASK_BACKEND == "redis":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("SHUREN_TASK_BACKEND must be database or redis")

# --- Channels beyond the app (shuren/notify: e-mail, WeCom group robots) ---------------------
# The address links in e-mails and group messages start with (they leave the site).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shuren@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_TIMEOUT = 10
# The only addresses a team's robot may be set to (the server posts there).
WECOM_WEBHOOK_PREFIXES = ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",)

# --- Accounts and security baseline (rules-cn.md section 4) ----------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend, loading the user together with their person
    "shuren.accounts.backends.UserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "shuren.accounts.passwords.RoleLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True  # "5 failures in a row"
# The account is locked, not the address: a whole community office shares one IP behind NAT.
AXES_LOCKOUT_PARAMETERS = ["username"]
# ... and an address that fails this often within the cool-off, over any usernames, is refused
# before any password is checked (accounts.views.LoginView): locking out one account takes 5
# tries, locking out many from one place is stopped here; the security administrator unlocks.
SHUREN_LOGIN_IP_LIMIT = int(os.environ.get("SHUREN_LOGIN_IP_LIMIT", "30"))
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The inbox's urgency index carries path and tier as INCLUDE columns for PostgreSQL;
    # SQLite builds the same index without them, which is all W040 says (so `migrate` is quiet).
    SILENCED_SYSTEM_CHECKS.append("models.W040")
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Every failure is kept with its address: the per-address limit counts them, the auditor reads them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# The audit trail is kept at least 180 days (网络安全法 Art. 21); longer if this says so, never
# shorter (shuren/audit/actions.py, and the PostgreSQL trigger, hold the floor).
SHUREN_AUDIT_RETENTION_DAYS = env_int("SHUREN_AUDIT_RETENTION_DAYS", 180)

# PIPL Art. 19: how long personal data is kept once its purpose is over (`applyretention`,
# daily): a person who moved away and holds nothing here any more, and the name and phone of a
# caller who is not registered, counted from the matter's closing. Days; the environment may
# lengthen or shorten each.
SHUREN_RETENTION_DAYS = {
    "moved_out_persons": int(os.environ.get("SHUREN_RETAIN_MOVED_OUT_DAYS", str(5 * 365))),
    "closed_matter_contacts": int(os.environ.get("SHUREN_RETAIN_CONTACTS_DAYS", str(3 * 365))),
}

SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form whose CSRF token expired (a page left open past the session) is refused with the
# product's own 403 page, in the user's language.
CSRF_FAILURE_VIEW = "shuren.web.errors.csrf_failure"

# --- Language and time: Chinese first, stored in UTC, shown in Asia/Shanghai -----------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "shuren" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "shuren" / "static"]
if not PRODUCTION:
    # WhiteNoise warns on every request when the collected-static folder is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # The demo runs with DEBUG off (rundemo): WhiteNoise then serves the files from the apps'
    # folders themselves, collected or not. Production serves the collected, hashed copies.
    WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Shuren ----------------------------------------------------------------------------------
SHUREN_DEMO_PASSWORD = env_str("SHUREN_DEMO_PASSWORD", "Shuren-demo-2026")
# PostgreSQL: the few hand-written hot statements (shuren/rawsql.py) run prepared; turn off
# behind a pooler that drops prepared statements (PgBouncer < 1.21 in transaction mode).
SHUREN_PG_PREPARE = env_bool("SHUREN_PG_PREPARE", default=True)
# Readable case numbers: GC-2026-000123 (GC = 桂城).
SHUREN_CASE_PREFIX = env_str("SHUREN_CASE_PREFIX", "GC")
# Early warning (issue 11): risky words matched in each new matter's first background task, and
# the alert sweep. Off, neither raises anything (benchmarks/intake_early_warning.py compares).
SHUREN_EARLY_WARNING = env_bool("SHUREN_EARLY_WARNING", default=True)
# Data rows an Excel import reads, all sheets together: the benchmark's 10,000 households are
# 25,760 rows with their places and residents; a large community has fewer. Past it the file is
# refused while it is read, and what it may unpack to is bounded by the same number
# (places/excel/reading.py). The time a request may take grows with it: a bigger one-off
# import runs the importplaces command with the variable raised.
SHUREN_IMPORT_MAX_ROWS = env_int("SHUREN_IMPORT_MAX_ROWS", 50_000)
# The case register (insights/register/): up to this many matters download at once; a larger one
# is built by a background task (django-tasks) and its owner is told when it is ready.
SHUREN_REGISTER_SYNC_LIMIT = env_int("SHUREN_REGISTER_SYNC_LIMIT", 2000)
# New Open311 requests one partner key may file a minute (more answer 429).
SHUREN_OPEN311_REQUESTS_PER_MINUTE = env_int("SHUREN_OPEN311_REQUESTS_PER_MINUTE", 30)

# --- Phone and ID numbers encrypted at rest (shuren/crypto.py; docs/security.md) -------------
# SHUREN_FIELD_KEYS: "id:base64-of-32-bytes,…", the first seals new values, every one opens
# (key rotation: put the new key first, run `manage.py rotatekeys`, then drop the old one).
# SHUREN_INDEX_KEY: the blind index's HMAC key, base64 of 32 bytes. Keys come from the
# environment only: never in the database, never in the repository.
# THE TEST KEYS BELOW ARE PUBLIC (they are in this repository: they decode to
# "shuren-TEST-…-not-secret"). Development, the tests and the demo use them; production refuses
# to start without keys of its own, and the check shuren.E002 refuses these.
SHUREN_TEST_KEYS = (
    "c2h1cmVuLVRFU1QtZmllbGQta2V5LW5vdC1zZWNyZXQ=",
    "c2h1cmVuLVRFU1QtaW5kZXgta2V5LW5vdC1zZWNyZXQ=",
)
SHUREN_FIELD_KEYS = env_str("SHUREN_FIELD_KEYS")
SHUREN_INDEX_KEY = env_str("SHUREN_INDEX_KEY")
if PRODUCTION and not (SHUREN_FIELD_KEYS and SHUREN_INDEX_KEY):
    raise ImproperlyConfigured(
        "SHUREN_ENV=production needs SHUREN_FIELD_KEYS (id:base64 of 32 bytes, comma-separated) "
        "and SHUREN_INDEX_KEY (base64 of 32 bytes) in the environment: phone and ID numbers are "
        "stored encrypted with them (docs/security.md)"
    )
SHUREN_FIELD_KEYS = SHUREN_FIELD_KEYS or f"test:{SHUREN_TEST_KEYS[0]}"
SHUREN_INDEX_KEY = SHUREN_INDEX_KEY or SHUREN_TEST_KEYS[1]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
