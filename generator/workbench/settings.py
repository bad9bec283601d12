"""Django settings of the workbench, read from the environment that `budgetgen serve` sets.

BUDGETGEN_DATA    the data folder: SQLite database, file store, secret key (default ./workbench-data)
BUDGETGEN_DB      a database URL: sqlite:///path or postgresql://user:pass@host:port/name
                  (default: SQLite in the data folder)
BUDGETGEN_SECURE_COOKIES  1: cookies only over HTTPS (default), 0: plain http on one machine
BUDGETGEN_ALLOWED_HOSTS   host names the server answers to, comma-separated
BUDGETGEN_TRUSTED_ORIGINS origins of a reverse proxy (https://budget.example.gov.cn), comma-separated
BUDGETGEN_WORKERS         worker processes that parse and render (default 2)
BUDGETGEN_WORKER_MEMORY_MB  the address space each may take (default 4096)
BUDGETGEN_DASK            a Dask scheduler address for batch renders (optional)
BUDGETGEN_ENGINE          the PDF engine, typst or weasyprint (default: `render`'s, typst)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from generator.commands.render import ENGINES

DATA_DIR = Path(os.environ.get("BUDGETGEN_DATA", "workbench-data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
FILE_STORE = DATA_DIR / "files"


def _secret_key() -> str:
    """One random key per data folder, kept beside the database (sessions survive restarts)."""
    path = DATA_DIR / "secret-key"
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        temporary.write_text(secrets.token_urlsafe(50), encoding="ascii")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    return path.read_text(encoding="ascii").strip()


def database(url: str | None) -> dict:
    """Django's DATABASES entry for a URL (SQLite in the data folder when there is none)."""
    if not url or url.startswith("sqlite:"):
        name = url.removeprefix("sqlite:///") if url else str(DATA_DIR / "workbench.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name,
                "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"}}
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"不支持的数据库地址 / unsupported database URL: {parts.scheme}://")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
            "HOST": query.pop("host", parts.hostname or ""), "PORT": str(parts.port or ""),
            "OPTIONS": query, "CONN_MAX_AGE": 60}


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("BUDGETGEN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BUDGETGEN_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATABASES = {"default": database(os.environ.get("BUDGETGEN_DB"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
WORKERS = int(os.environ.get("BUDGETGEN_WORKERS", "2"))
WORKER_MEMORY = int(os.environ.get("BUDGETGEN_WORKER_MEMORY_MB", "4096")) * 1024 * 1024  # address space
DASK_SCHEDULER = os.environ.get("BUDGETGEN_DASK") or None
PDF_ENGINE = os.environ.get("BUDGETGEN_ENGINE") or ENGINES[0]  # as `render --engine`, the same default

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "generator.workbench.apps.WorkbenchConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "generator.workbench.security.HeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ROOT_URLCONF = "generator.workbench.urls"
WSGI_APPLICATION = "generator.workbench.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # assets served by the app from the package, no collectstatic, no CDN
CSRF_FAILURE_VIEW = "generator.workbench.login.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Uploads: the CLI's input limit; larger requests are refused before they are read.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

_SECURE = os.environ.get("BUDGETGEN_SECURE_COOKIES", "1") != "0"
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # the preview embeds the PDF from the same origin
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
                           "base-uri 'none'")

# Login rate limit (django-axes): 5 failures of one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workbench/locked.html"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # its admin pages are in English: the users' list has the unlock action (and `user unlock`)

LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"},
                       "axes": {"handlers": ["console"], "level": "WARNING"},
                       "generator.workbench": {"handlers": ["console"], "level": "WARNING"}}}
