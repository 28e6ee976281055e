"""Settings, read from the environment through small typed helpers.

Every deployment difference is an environment variable (see `.env.example`); the
defaults run the whole app on one machine with nothing installed but Python:
SQLite in `var/`, and kombu's filesystem transport as the Celery broker.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINFANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A checkout runs the demo (./xf run), the tests and the benchmarks with DEBUG on; the
# image (Dockerfile) and docker-compose.yml turn it off, and then SECRET_KEY is required:
# a default key would let anyone who read this file forge sessions and password resets.
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: set SECRET_KEY in the environment or in .env "
            "(see .env.example), or DEBUG=true on a development machine."
        )
    SECRET_KEY = "insecure-demo-key-for-debug-only"
elif SECRET_KEY.startswith("change-me") and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is still the placeholder of .env.example: set a long random value.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "rules",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "people",
    "notifications",
    "cases",
    "deadlines",
    "documents",
    "supervision",
    "accountability",
    "dashboard",
]
# The demo data and the bulk generators (./xf run, the benchmarks); never in production.
if env_bool("XINFANG_DEVTOOLS", DEBUG):
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    # First, so that every log line and the 500 page carry the request's id.
    "core.request_id.RequestIdMiddleware",
    "core.security.RefusalLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves collected static files under gunicorn; nothing comes from a CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.security.SessionLimitsMiddleware",
    "people.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xinfang.urls"
WSGI_APPLICATION = "xinfang.wsgi.application"

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
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xinfang.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs the web server, a worker and beat against one file:
    # take the write lock at BEGIN and wait for it rather than fail with "locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # SQLite ignores the INCLUDE columns of the list indexes (models.W040, on every
    # migrate). ./xf says so once when it starts and sets this for what it runs.
    if env_bool("XINFANG_SQLITE_NOTED", False):
        SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:workbench"
LOGOUT_REDIRECT_URL = "login"

# Length and the common-password list, no composition rules (OWASP ASVS 2.1.1, 2.1.7,
# 2.1.9; NIST SP 800-63B 5.1.1.2).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "people.passwords.MinimumLength", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Log-in ------------------------------------------------------------------------
# django-axes counts failures per (username, address) and locks that pair out for a
# cool-off; every attempt, success and lock-out is also logged (people.signals).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_VERBOSE = False
# How many reverse proxies (nginx, a load balancer) stand in front of the app: only
# their X-Forwarded-For entries are believed (core.security.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A TOTP second factor (django-otp) for the roles that see most: the office, leaders,
# discipline and administrators. On wherever DEBUG is off unless switched off here;
# the embedded demo runs without it and says so when it starts.
XINFANG_REQUIRE_OTP = env_bool("XINFANG_REQUIRE_OTP", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "信访工作管理系统")

# Sessions end after 30 idle minutes and at most 12 hours after log-in
# (core.security.SessionLimitsMiddleware); the cookie itself dies with the browser.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Every history row keeps its reason whole (a 批示 or a 退回 reason runs to hundreds of
# characters): simple-history's default column holds 100, and PostgreSQL refuses more.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The history is read, never "reverted" from the admin: a step is taken only through its
# service, which writes a new history row (the rows themselves are append-only, core.audit).
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Also serve straight from the app and static/ folders, so a fresh checkout works under
# gunicorn before collectstatic has run.
WHITENOISE_USE_FINDERS = True

# Attachments live outside any web root and have no MEDIA_URL: the only way to read
# one is the scoped download view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 20

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Served over HTTPS (the production settings in .env.example): HTTP is redirected and
# browsers are told to come back over HTTPS only.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"

# A strict Content-Security-Policy (django-csp): scripts only from this site or with
# the request's nonce, no inline handlers, no eval, nothing from anywhere else. Style
# sheets likewise; style *attributes* stay allowed, because ECharts writes its
# tooltips and Bootstrap its layout as style attributes (CSP 3 style-src-attr).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Celery -------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"  # a host, or kombu warns on every send
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # broadcast (remote control) messages; kombu's default is ./control
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Shared across web workers when Redis is there (the dashboard's topic analysis is cached).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "xinfang"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The dashboard's rollups are rebuilt this often; at least every 15 minutes (the issue).
DASHBOARD_REFRESH_SECONDS = min(env_int("DASHBOARD_REFRESH_SECONDS", 300), 900)
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "xinfang.celery.heartbeat", "schedule": 300.0},
    # One periodic scan over stored due times, never a task per case (supervision.scan).
    "deadline-scan": {"task": "deadlines.scan", "schedule": env_int("DEADLINE_SCAN_SECONDS", 300)},
    # Late 督办 feedback escalates; mail that failed is tried again (supervision.services.sweep).
    "supervision-sweep": {"task": "supervision.sweep", "schedule": env_int("SUPERVISION_SWEEP_SECONDS", 300)},
    # Rectifications still unfinished after 通报 move up a level (seed 002 第十六–十八条).
    "accountability-escalate": {"task": "accountability.escalate", "schedule": 3600.0},
    # Ledger export files past their keeping time are deleted.
    "purge-exports": {"task": "documents.purge_exports", "schedule": 3600.0},
    # The dashboard's rollups, rewritten set-based; the page shows when (at most 15 minutes).
    "dashboard-refresh": {"task": "dashboard.refresh", "schedule": DASHBOARD_REFRESH_SECONDS},
    # SMS and robot messages not yet sent, and the deadline scan's notifications, go out.
    "notification-sweep": {"task": "notifications.sweep", "schedule": 300.0},
    # Digests, on the hour (the daily ones at 8:00 Beijing time).
    "notification-digests": {"task": "notifications.digests", "schedule": crontab(minute=0)},
}

# --- Dashboard ------------------------------------------------------------------------
# A unit with fewer cases than this in the period is shown but not ranked by its rates.
DASHBOARD_MIN_VOLUME = env_int("DASHBOARD_MIN_VOLUME", 10)

# --- Ledger exports -------------------------------------------------------------------
# Up to this many rows download at once; more are written by the worker with progress.
LEDGER_EXPORT_SYNC_LIMIT = env_int("LEDGER_EXPORT_SYNC_LIMIT", 5000)
# A background export's file is kept this long.
LEDGER_EXPORT_KEEP_HOURS = env_int("LEDGER_EXPORT_KEEP_HOURS", 24)

# --- Mail ---------------------------------------------------------------------------
# SMTP from the environment. Without EMAIL_HOST mail is written to the worker's log.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xinfang@localhost")
# Links in mail point here.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# A notification's mail is tried this many times (by the task's retries, then the sweep).
NOTIFICATION_MAIL_ATTEMPTS = env_int("NOTIFICATION_MAIL_ATTEMPTS", 5)
# SMS and work-group robots (notifications.channels): the console backend prints what
# would be sent; notifications.channels.HttpSmsBackend posts to the school's SMS gateway,
# notifications.channels.RobotWebhookBackend to each unit's 企业微信/钉钉 robot.
NOTIFICATION_SMS_BACKEND = env_str("NOTIFICATION_SMS_BACKEND", "notifications.channels.ConsoleBackend")
NOTIFICATION_ROBOT_BACKEND = env_str("NOTIFICATION_ROBOT_BACKEND", "notifications.channels.ConsoleBackend")
NOTIFICATION_SMS_URL = env_str("NOTIFICATION_SMS_URL", "")
NOTIFICATION_SMS_TOKEN = env_str("NOTIFICATION_SMS_TOKEN", "")
# Seconds a gateway or robot may take before the send counts as failed (and is retried).
NOTIFICATION_CHANNEL_TIMEOUT = env_int("NOTIFICATION_CHANNEL_TIMEOUT", 5)

# --- Documents (文书) ----------------------------------------------------------------
# The issuing school on every document, and the body a petitioner asks for 复查 (条例 第35条:
# the 上一级 of the body that handled the case), named in the 信访处理意见书.
XINFANG_ORGANISATION = env_str("XINFANG_ORGANISATION", "某某学院")
XINFANG_REVIEW_BODY = env_str("XINFANG_REVIEW_BODY", "上级主管部门（教育行政部门）")

# --- The demo (./xf run, manage.py load_demo; devtools) --------------------------------
# The demo school's units, (code, name, kind of people.Unit.Kind). The demo's people
# (people.demo.PEOPLE) and matters (cases.demo_text.MATTERS: 食堂 to hqc, 成绩 to jwc, 奖学金
# to xgc, 举报 to jjjc, a teacher's lesson to the 二级学院) name units by code, so another
# school renames them, or adds 二级学院, in a JSON file of such triples
# (XINFANG_DEMO_UNITS_FILE) and keeps the codes; its name is XINFANG_ORGANISATION.
XINFANG_DEMO_UNITS: list[tuple[str, str, str]] = [
    ("dzb", "党政办公室", "office"),
    ("xgc", "学生工作处", "student_affairs"),
    ("jwc", "教务处", "functional"),
    ("hqc", "后勤保卫处", "functional"),
    ("rsc", "组织人事处", "functional"),
    ("jjjc", "纪检监察室", "discipline"),
    ("jsj", "计算机工程学院", "college"),
    ("dz", "电子工程学院", "college"),
    ("rj", "软件学院", "college"),
]
if _units_file := env_str("XINFANG_DEMO_UNITS_FILE", ""):
    XINFANG_DEMO_UNITS = [tuple(row) for row in json.loads(Path(_units_file).read_text(encoding="utf-8"))]
# How many cases the demo's two years hold. Each is walked through the real services with
# its documents (about 0.5 s a case on SQLite, most of it PDFs), so the default keeps the
# first `./xf run` to about two minutes; `manage.py load_demo --cases 2500` loads more.
XINFANG_DEMO_CASES = env_int("XINFANG_DEMO_CASES", 200)

# --- Case list ----------------------------------------------------------------------
CASE_LIST_PAGE_SIZE = 50
# Above this many matching rows the list shows an estimate ("约 N") instead of counting.
CASE_LIST_EXACT_COUNT_LIMIT = 10_000
# The bare comparison page for bench/case_list.py; never on in production.
BENCH_VIEWS = env_bool("XINFANG_BENCH_VIEWS", False)

# Every line carries the request id that the 500 page shows (core.security).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"xinfang.access": {"level": "INFO"}, "xinfang.security": {"level": "INFO"}},
}
