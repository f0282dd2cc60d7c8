"""Settings from DANGJIAN_* environment variables (INTERFACES section 2)."""

import datetime as dt
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from dangjian.core.crypto import load_keyring
from dangjian.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_date,
    env_int,
    env_list,
    home_dir,
    secret_key,
)

try:
    HOME = home_dir()
    SECRET_KEY = secret_key(HOME)
    DEBUG = env_bool("DANGJIAN_DEBUG", False)
    HTTPS = env_bool("DANGJIAN_HTTPS", False)
    ALLOWED_HOSTS = env_list("DANGJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
    PAGE_SIZE = env_int("DANGJIAN_PAGE_SIZE", 50, 10, 500)
    # Lists count their rows up to this many (core.views.CappedPaginator); beyond it the
    # page says "more than" instead of scanning every row in scope for the exact figure.
    DANGJIAN_LIST_COUNT_CAP = env_int("DANGJIAN_LIST_COUNT_CAP", 10000, 1000, 10_000_000)
    # Security baseline (DESIGN 7, docs/security.md). Ranges never allow a weaker setting
    # than the baseline: a longer idle time or a shorter lockout is a configuration error.
    ID_KEYRING = load_keyring(HOME)
    DANGJIAN_PASSWORD_MAX_AGE_DAYS = env_int("DANGJIAN_PASSWORD_MAX_AGE_DAYS", 90, 1, 365)
    DANGJIAN_SESSION_IDLE_MINUTES = env_int("DANGJIAN_SESSION_IDLE_MINUTES", 30, 1, 30)
    DANGJIAN_SESSION_MAX_HOURS = env_int("DANGJIAN_SESSION_MAX_HOURS", 8, 1, 24)
    DANGJIAN_LOCKOUT_FAILURES = env_int("DANGJIAN_LOCKOUT_FAILURES", 5, 3, 5)
    DANGJIAN_LOCKOUT_MINUTES = env_int("DANGJIAN_LOCKOUT_MINUTES", 10, 10, 1440)
    DANGJIAN_AUDIT_RETENTION_DAYS = env_int("DANGJIAN_AUDIT_RETENTION_DAYS", 180, 180, 36500)
    DANGJIAN_REQUIRE_2FA_FOR_ADMINS = env_bool("DANGJIAN_REQUIRE_2FA_FOR_ADMINS", True)
    DANGJIAN_REQUIRE_2FA_FOR_ALL = env_bool("DANGJIAN_REQUIRE_2FA_FOR_ALL", False)
    DANGJIAN_SEPARATE_DUTIES = env_bool("DANGJIAN_SEPARATE_DUTIES", False)
    DANGJIAN_STATS_CACHE = env_bool("DANGJIAN_STATS_CACHE", True)
    # Upload store (core.uploads): one file's cap, and an image's pixel cap (decompression bombs).
    DANGJIAN_UPLOAD_MAX_MB = env_int("DANGJIAN_UPLOAD_MAX_MB", 20, 1, 500)
    DANGJIAN_UPLOAD_MAX_PIXELS = env_int(
        "DANGJIAN_UPLOAD_MAX_PIXELS", 40_000_000, 1_000_000, 200_000_000
    )
    # Prometheus metrics at /metrics (django-prometheus), for the listed client addresses.
    DANGJIAN_METRICS = env_bool("DANGJIAN_METRICS", False)
    DANGJIAN_METRICS_ALLOWED_IPS = env_list("DANGJIAN_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
    # Log lines on stdout: text, or one JSON object per line for a log collector (core.logs).
    DANGJIAN_LOG_FORMAT = env_choice("DANGJIAN_LOG_FORMAT", "text", ("text", "json"))
    # Background jobs: the queue in the database (db) or on Redis (rq); see TASKS below.
    DANGJIAN_TASKS = env_choice("DANGJIAN_TASKS", "db", ("db", "rq"))
    DANGJIAN_REDIS_URL = os.environ.get("DANGJIAN_REDIS_URL") or "redis://127.0.0.1:6379/0"
    _db_url = os.environ.get("DANGJIAN_DATABASE_URL") or f"sqlite:///{HOME / 'dangjian.sqlite3'}"
    try:
        _db = dj_database_url.parse(_db_url, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types
        raise ConfigError(f"环境变量 DANGJIAN_DATABASE_URL 无法解析: {exc}") from None
    _replica_urls = (
        env_list("DANGJIAN_REPLICA_URLS", "") if os.environ.get("DANGJIAN_REPLICA_URLS") else []
    )
    try:
        _replicas = [dj_database_url.parse(url, conn_max_age=60) for url in _replica_urls]
    except Exception as exc:
        raise ConfigError(f"环境变量 DANGJIAN_REPLICA_URLS 无法解析: {exc}") from None
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
elif _db["ENGINE"].startswith("django.db.backends.postgresql"):
    # JIT compiling costs 25-30 ms per statistics query and saves less than that on the
    # aggregates this application runs (docs/performance.md).
    _db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES = {"default": _db}
# Read replicas (core.routers): statistics, reports and exports read from them.
DANGJIAN_REPLICAS = []
for _number, _replica in enumerate(_replicas, start=1):
    _replica["OPTIONS"] = {**_db.get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    DANGJIAN_REPLICAS.append(f"replica{_number}")
if "pytest" in sys.modules and not DANGJIAN_REPLICAS:
    # A mirror of the test database, so tests can prove the routing (tests/core/test_routers.py).
    DATABASES["replica1"] = {**_db, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["dangjian.core.routers.ReplicaRouter"]
# "stats": computed figures kept under the counted tables' version (stats.cache), in files
# shared by the server processes and the worker that computes them ahead (stats.tasks);
# entries of an older version are never read again and expire.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "stats": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache" / "stats"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "dangjian.core",
    "dangjian.orgs",
    "dangjian.members",
    "dangjian.recruitment",
    "dangjian.assessment",
    "dangjian.life",
    "dangjian.dataio",
    "dangjian.selfservice",
    "dangjian.integrity",
    "dangjian.outreach",
    "dangjian.training",
    "dangjian.excellence",
    "dangjian.dues",
    "dangjian.disclosure",
    "dangjian.accounts",
    "dangjian.stats",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangjian.core.middleware.RequestContextMiddleware",
    "dangjian.core.middleware.SessionTimeoutMiddleware",
    "dangjian.core.middleware.NoStoreMiddleware",
    "dangjian.accounts.middleware.AccountPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into its page.
    "axes.middleware.AxesMiddleware",
]

if DANGJIAN_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
    # gunicorn's worker processes each count; the scrape reads them all from here.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(HOME / "metrics"))
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

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

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out account is refused before its password is checked.
    "dangjian.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "dangjian.core.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failures (django-axes), per account name wherever the attempts
# come from; a school behind one NAT address is not locked out as a whole.
AXES_FAILURE_LIMIT = DANGJIAN_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=DANGJIAN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused (and audited) but do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.views.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Our audit log records sign-ins; axes keeps only the failure counters.
AXES_DISABLE_ACCESS_LOG = True
# The client address as the server saw it; a forwarded-for header is the client's to forge.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks for the IP address among the lockout parameters, against lockouts
    # keyed on rotating user agents or cookies. Ours is keyed on the account name alone,
    # counted from every address, which rotation does not escape; adding the address would
    # lock out a whole school behind one NAT address after five typos (docs/security.md).
    "axes.W006",
]

# Second factor (django-otp): TOTP apps plus single-use recovery codes.
OTP_TOTP_ISSUER = "党建工作平台"

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

# The absolute lifetime; the idle timeout is enforced by core.middleware.SessionTimeoutMiddleware.
SESSION_COOKIE_AGE = DANGJIAN_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
# A form whose token expired gets a Chinese page in the layout (core/errors.py).
CSRF_FAILURE_VIEW = "dangjian.core.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# no inline code; data carried to scripts with `json_script`. `data:` images are the
# SVG icons inside Bootstrap's stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
}

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
    # Every error detail in Chinese, a missing record's included (core/api_errors.py).
    "EXCEPTION_HANDLER": "dangjian.core.api_errors.exception_handler",
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
    # Two models call a field `stage` (学段 of a school, 发展阶段 of a candidate): name their
    # enums, so the schema is stable and `check --deploy --fail-level WARNING` stays clean.
    "ENUM_NAME_OVERRIDES": {
        "SchoolStageEnum": "dangjian.orgs.models.SchoolStage",
        "RecruitStageEnum": "dangjian.recruitment.models.Stage",
        "StarsEnum": "dangjian.excellence.models.STAR_CHOICES",
        "HonourLevelEnum": "dangjian.assessment.models.HonourLevel",
        "ExemplarLevelEnum": "dangjian.excellence.models.Level",
        "RiskLevelEnum": "dangjian.integrity.models.RiskLevel",
        "TrainingLevelEnum": "dangjian.training.models.Level",
        "PaymentMethodEnum": "dangjian.dues.models.PaymentMethod",
        "RecommendationMethodEnum": "dangjian.recruitment.models.Recommendation",
        "MeetingKindEnum": "dangjian.life.models.MeetingKind",
        "PositionTitleEnum": "dangjian.orgs.models.PositionTitle",
    },
    # Every operation's error answers (400/401/403/404, Chinese detail) are in the schema.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dangjian.core.api_errors.document_error_answers",
    ],
}

# Background jobs (imports, large exports, report documents): Django's Tasks API through the
# django-tasks backport. The embedded default (DANGJIAN_TASKS=db) keeps the queue in the
# database, run by the worker that `dangjian demo`/`serve` start; DANGJIAN_TASKS=rq queues
# them on Redis (DANGJIAN_REDIS_URL) for as many `dangjian worker` processes as needed, on
# as many machines. Tests run tasks immediately.
TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS["immediate" if "pytest" in sys.modules else DANGJIAN_TASKS],
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": DANGJIAN_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
RQ_SHOW_ADMIN_LINK = False

# Party-work settings that DESIGN section 6 marks as local practice.
# 换届 reminders: how many calendar months before a term ends it appears on the to-do list
# (the widest window first shows it; the narrowest raises it to a warning).
DANGJIAN_TERM_REMINDER_MONTHS = tuple(
    sorted({int(m) for m in env_list("DANGJIAN_TERM_REMINDER_MONTHS", "6,1")}, reverse=True)
)
# The seats every school's 党政领导班子 should have (title: count); fewer current holders
# are flagged as 缺额 (local practice).
DANGJIAN_SCHOOL_LEADERSHIP = {"secretary": 1, "principal": 1, "vice_principal": 1}
# The 党员活动室 (阵地建设) standards list: (code, label); a room meets the standard when it
# meets every item (local practice, e.g. the "六有" of a county's 标准化建设).
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

DANGJIAN_ACTIVITY_ROOM_STANDARDS = (
    ("place", _lazy("有固定场所")),
    ("area", _lazy("面积20平方米以上")),
    ("flag", _lazy("有党旗和入党誓词")),
    ("rules", _lazy("有党建制度上墙")),
    ("books", _lazy("有党建学习资料和书籍")),
    ("equipment", _lazy("有电教设备")),
    ("records", _lazy("有活动记录")),
)
# A copy of each in-app reminder by another channel (a dotted path to a callable(user, text,
# url), e.g. dangjian.core.notifications.email_backend); empty: in-app only.
DANGJIAN_NOTIFY_BACKEND = os.environ.get("DANGJIAN_NOTIFY_BACKEND", "")
# 组织关系转接: how many levels above the member's branch the sending side approves (0: the
# branch itself, 1: its 党委/党总支), and after how many months an unfinished transfer is
# overdue on both sides' to-do lists (the 介绍信's usual validity).
DANGJIAN_TRANSFER_APPROVE_LEVELS_UP = env_int("DANGJIAN_TRANSFER_APPROVE_LEVELS_UP", 1, 0, 5)
DANGJIAN_TRANSFER_STUCK_MONTHS = env_int("DANGJIAN_TRANSFER_STUCK_MONTHS", 3, 1, 24)
# 流动党员: away at least this many months; 失去联系 at least this many months before 停止党籍.
DANGJIAN_FLOWING_MIN_MONTHS = env_int("DANGJIAN_FLOWING_MIN_MONTHS", 6, 1, 24)
DANGJIAN_LOST_CONTACT_MONTHS = env_int("DANGJIAN_LOST_CONTACT_MONTHS", 6, 1, 24)
# 信访: days from receipt within which a petition is to be settled (信访工作条例: 60 days).
DANGJIAN_PETITION_DAYS = env_int("DANGJIAN_PETITION_DAYS", 60, 1, 365)
# 组织生活: a meeting still missing this many days before its slot ends is on the 待办 list;
# QR sign-in codes are valid this many seconds (the page draws a new one every half);
# 民主评议 优秀 at most NUMERATOR/DENOMINATOR of those graded (generally 1/3).
DANGJIAN_LIFE_REMINDER_DAYS = env_int("DANGJIAN_LIFE_REMINDER_DAYS", 10, 0, 90)
DANGJIAN_SIGNIN_TOKEN_SECONDS = env_int("DANGJIAN_SIGNIN_TOKEN_SECONDS", 60, 10, 600)
DANGJIAN_REVIEW_EXCELLENT_NUMERATOR = env_int("DANGJIAN_REVIEW_EXCELLENT_NUMERATOR", 1, 0, 100)
DANGJIAN_REVIEW_EXCELLENT_DENOMINATOR = env_int("DANGJIAN_REVIEW_EXCELLENT_DENOMINATOR", 3, 1, 100)
# 培训学时 a year (DESIGN 6): every member, and secretaries and committee members.
DANGJIAN_TRAINING_MEMBER_HOURS = env_int("DANGJIAN_TRAINING_MEMBER_HOURS", 32, 1, 500)
DANGJIAN_TRAINING_CADRE_HOURS = env_int("DANGJIAN_TRAINING_CADRE_HOURS", 56, 1, 500)
# 党务干部轮训: every cadre once in each cycle of this many years from this start (local).
DANGJIAN_TRAINING_CYCLE_START = env_date("DANGJIAN_TRAINING_CYCLE_START", "2009-01-01")
DANGJIAN_TRAINING_CYCLE_YEARS = env_int("DANGJIAN_TRAINING_CYCLE_YEARS", 3, 1, 10)
# 创先争优与示范 (docs/modules/excellence.md): the 党建示范点 plan and the star caps.
DANGJIAN_DEMO_POINT_STANDARD = env_int("DANGJIAN_DEMO_POINT_STANDARD", 85, 0, 100)
DANGJIAN_DEMO_POINT_BUREAU_MIN = env_int("DANGJIAN_DEMO_POINT_BUREAU_MIN", 15, 0, 1000)
DANGJIAN_DEMO_POINT_BUREAU_MAX = env_int("DANGJIAN_DEMO_POINT_BUREAU_MAX", 20, 1, 1000)
DANGJIAN_DEMO_POINT_CITY_MIN = env_int("DANGJIAN_DEMO_POINT_CITY_MIN", 2, 0, 100)
DANGJIAN_DEMO_POINT_CITY_MAX = env_int("DANGJIAN_DEMO_POINT_CITY_MAX", 3, 1, 100)
DANGJIAN_DEMO_POINT_PLAN_START = env_int("DANGJIAN_DEMO_POINT_PLAN_START", 2011, 2000, 2100)
DANGJIAN_DEMO_POINT_PLAN_YEARS = env_int("DANGJIAN_DEMO_POINT_PLAN_YEARS", 3, 1, 10)
DANGJIAN_DEMO_POINT_TARGET_PERCENT = env_int("DANGJIAN_DEMO_POINT_TARGET_PERCENT", 80, 1, 100)
# Default caps of the yearly star distribution in a branch, percent of its members, for a
# year without its own criteria record; "以下" includes the number.
DANGJIAN_STAR_CAP_5_PERCENT = env_int("DANGJIAN_STAR_CAP_5_PERCENT", 20, 0, 100)
DANGJIAN_STAR_CAP_4_PERCENT = env_int("DANGJIAN_STAR_CAP_4_PERCENT", 30, 0, 100)
# 党费 (2008 rules; the numbers below are the rules' and local practice, DESIGN 6).
DANGJIAN_DUES_BACKPAY_MONTHS = env_int("DANGJIAN_DUES_BACKPAY_MONTHS", 6, 0, 24)
DANGJIAN_DUES_PREPAY_MONTHS = env_int("DANGJIAN_DUES_PREPAY_MONTHS", 12, 0, 24)
DANGJIAN_DUES_WARNING_MONTHS = env_int("DANGJIAN_DUES_WARNING_MONTHS", 6, 1, 24)
DANGJIAN_DUES_CENTRE_THRESHOLD = env_int("DANGJIAN_DUES_CENTRE_THRESHOLD", 1000, 1, 1_000_000)
# Share of the regular dues a branch hands up to its superior committee, in percent.
DANGJIAN_DUES_HANDUP_PERCENT = env_int("DANGJIAN_DUES_HANDUP_PERCENT", 100, 0, 100)
# 党务公开: how long the portal's pages may be kept by browsers and proxies, in seconds.
DANGJIAN_PORTAL_MAX_AGE = env_int("DANGJIAN_PORTAL_MAX_AGE", 300, 0, 86400)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Defence in depth: no log line carries a full ID number, whatever a library logs.
    "filters": {"mask_id_numbers": {"()": "dangjian.core.validators.MaskIdNumbersFilter"}},
    "formatters": {"json": {"()": "dangjian.core.logs.json_formatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_id_numbers"],
            **({"formatter": "json"} if DANGJIAN_LOG_FORMAT == "json" else {}),
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
