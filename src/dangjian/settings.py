"""Settings from DANGJIAN_* environment variables (INTERFACES section 2)."""

import os
import sys
from pathlib import Path

import dj_database_url

from dangjian.env import ConfigError, env_bool, env_int, env_list, home_dir, secret_key

try:
    HOME = home_dir()
    SECRET_KEY = secret_key(HOME)
    DEBUG = env_bool("DANGJIAN_DEBUG", False)
    HTTPS = env_bool("DANGJIAN_HTTPS", False)
    ALLOWED_HOSTS = env_list("DANGJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
    PAGE_SIZE = env_int("DANGJIAN_PAGE_SIZE", 50, 10, 500)
    _db_url = os.environ.get("DANGJIAN_DATABASE_URL") or f"sqlite:///{HOME / 'dangjian.sqlite3'}"
    try:
        _db = dj_database_url.parse(_db_url, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types
        raise ConfigError(f"环境变量 DANGJIAN_DATABASE_URL 无法解析: {exc}") from None
except ConfigError as exc:
    sys.stderr.write(f"配置错误: {exc}\n")
    raise SystemExit(2) from None

BASE_DIR = Path(__file__).resolve().parent

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.orgs",
    "dangjian.members",
    "dangjian.recruitment",
    "dangjian.dataio",
    "dangjian.accounts",
    "dangjian.stats",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangjian.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
# The project's own assets and the npm-installed vendor files (`make assets`).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and `runserver` read straight from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG or "pytest" in sys.modules
if WHITENOISE_USE_FINDERS:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = HOME / "uploads"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous call gets 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": PAGE_SIZE,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dangjian API",
    "DESCRIPTION": "学校党建网络平台和党建工作基本信息库 REST API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the package (no CDN: the platform runs on isolated intranets).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Background jobs (imports, large exports, report documents): Django's Tasks API through the
# django-tasks backport. The embedded default keeps the queue in the database, run by the
# worker that `dangjian demo`/`serve` start; tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if "pytest" in sys.modules
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Party-work settings that DESIGN section 6 marks as local practice.
DANGJIAN_TERM_REMINDER_DAYS = env_int("DANGJIAN_TERM_REMINDER_DAYS", 90, 0, 730)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
