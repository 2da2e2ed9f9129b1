"""Django settings for wxbind, read from the environment (see .env.example)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS as JSON_LOG_RESERVED_ATTRS

from supportbot.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_proxy_header,
    env_str,
    env_time_zone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "wxbind-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

# Behind a TLS-terminating proxy (Slack and Teams need https): the origins browsers
# post forms from, and the header by which the proxy says a request came over TLS.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [], allow_empty=True)
SECURE_PROXY_SSL_HEADER = env_proxy_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
# Probes from inside the deployment speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "supportbot",
    "faq",
    "cases",
]

MIDDLEWARE = [
    # First: every line logged while a request is handled carries its id.
    "supportbot.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language for people not signed in (the login page): the language cookie, else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's own choice (saved per user) wins over their browser's.
    "supportbot.admin_language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# Password guessing at the admin login: after ADMIN_LOGIN_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is locked out for
# ADMIN_LOGIN_LOCKOUT_MINUTES (django-axes). Locking the pair, not the
# username alone, keeps a guesser elsewhere from locking the real admin out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("ADMIN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "supportbot.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "supportbot" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "supportbot.wsgi.application"
ASGI_APPLICATION = "supportbot.asgi.application"

# Seconds a request thread keeps its database connection (checked before reuse).
# Slack commands are answered from memory, but every Teams message records its
# receipt (a platform retry must cause nothing twice): opening a connection for
# each would cost more than the whole answer. 0 closes it after each request.
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Development mode serves a few people at once (web threads, workers, the
    # statistics writer): WAL lets readers run beside a writer, IMMEDIATE takes
    # the write lock at BEGIN (a read lock upgraded mid-transaction fails at
    # once, whatever the timeout), and the busy timeout makes writers queue.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        }
    )
    # A file, not memory, so tests can check what other processes see.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The admin's and the API's language: each staff member chooses theirs in the admin header
# (supportbot.admin_language); this is theirs until they do, and the workers'. The bot's
# chat wording follows each chat user's own language by its own means.
LANGUAGE_CODE = env_choice("DJANGO_LANGUAGE_CODE", "zh-hans", ["zh-hans", "en"])
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our translations (English is the source): the compiled catalog is kept in the repository.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Browser packages from npm (package.json; `make install` installs them when npm is there): Microsoft's
# Adaptive Cards renderer and the Markdown it needs, for Try the bot and the entry preview, and Chart.js for
# Insights. Served from node_modules, never copied into the repository; without them pages show card JSON,
# or the charts' tables, and say why.
BROWSER_PACKAGES_DIR = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    (f"vendor/{name}", BROWSER_PACKAGES_DIR / name / folder)
    for name, folder in (("adaptivecards", "dist"), ("markdown-it", "dist/browser"), ("chart.js", "dist"))
    if (BROWSER_PACKAGES_DIR / name / folder).is_dir()
]

LOGIN_URL = "admin:login"

# Admin-edited text arrives through forms and the API; bound the size so a
# pasted dump cannot make every later search rebuild slow.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "supportbot.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["supportbot.permissions.ReadForUsersWriteForStaff"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "supportbot.api.BoundedPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "supportbot.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "wxbind API",
    "DESCRIPTION": "WeChat mini program ↔ Tencent Cloud binding FAQ and support cases.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # A case's state, and the states of its timeline events: one choice set, one name.
    "ENUM_NAME_OVERRIDES": {"CaseStateEnum": "cases.states.State"},
    # Served from our own static files: the docs page must work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Slack. Without the token and signing secret the rest of the product runs and
# the Slack endpoint answers 503 naming what is missing.
SLACK_BOT_TOKEN = env_str("SLACK_BOT_TOKEN")
SLACK_SIGNING_SECRET = env_str("SLACK_SIGNING_SECRET")
SLACK_APP_TOKEN = env_str("SLACK_APP_TOKEN")
SLACK_API_URL = env_url("SLACK_API_URL", "https://slack.com/api/", trailing_slash=True)
SLACK_API_TIMEOUT = env_int("SLACK_API_TIMEOUT", 10, minimum=1)
# Where new cases are posted for agents, and who the agents are (a user group id, S…).
SLACK_SUPPORT_CHANNEL = env_str("SLACK_SUPPORT_CHANNEL")
SLACK_AGENT_USERGROUP = env_str("SLACK_AGENT_USERGROUP")
SLACK_ESCALATION_CHANNEL = env_str("SLACK_ESCALATION_CHANNEL")

# Microsoft Teams. Without TEAMS_APP_ID (and without TEAMS_SKIP_AUTH) the rest of
# the product runs and the Teams endpoint answers 503 naming what is missing.
TEAMS_APP_ID = env_str("TEAMS_APP_ID")
TEAMS_APP_PASSWORD = env_str("TEAMS_APP_PASSWORD")
TEAMS_TENANT_ID = env_str("TEAMS_TENANT_ID")
# Where proactive messages go when no activity told us better (the public Teams service).
TEAMS_SERVICE_URL = env_url("TEAMS_SERVICE_URL", "", trailing_slash=True) or "https://smba.trafficmanager.net/teams/"
# Conversation ids of the agents' channels (19:…@thread.tacv2).
TEAMS_SUPPORT_CONVERSATION = env_str("TEAMS_SUPPORT_CONVERSATION")
TEAMS_ESCALATION_CONVERSATION = env_str("TEAMS_ESCALATION_CONVERSATION")
# Who acts as an agent on Teams: Microsoft Entra object ids (besides linked site accounts in Agents).
TEAMS_AGENT_IDS = env_list("TEAMS_AGENT_IDS", [], allow_empty=True)
# Development and tests only: accept activities without a token and send replies without one.
TEAMS_SKIP_AUTH = env_bool("TEAMS_SKIP_AUTH", False)
# The Bot Framework's signing keys and the bot's token endpoint (tests point them at a stand-in).
TEAMS_OPENID_METADATA_URL = (
    env_url("TEAMS_OPENID_METADATA_URL", "") or "https://login.botframework.com/v1/.well-known/openidconfiguration"
)
TEAMS_TOKEN_URL = env_url("TEAMS_TOKEN_URL", "") or (
    f"https://login.microsoftonline.com/{TEAMS_TENANT_ID or 'botframework.com'}/oauth2/v2.0/token"
)
TEAMS_API_TIMEOUT = env_int("TEAMS_API_TIMEOUT", 10, minimum=1)

# Renderers that show, in the FAQ admin, how an entry reads on each chat platform.
WXBIND_CHAT_PREVIEWS = ["supportbot.slack.preview.entry_preview", "supportbot.teams.preview.entry_preview"]

# Public address of this site, for "Read the full answer" links in chat (optional).
WXBIND_BASE_URL = env_url("WXBIND_BASE_URL", "").rstrip("/")
# How long a "read the full answer" link in a chat reply opens the page without an account.
WXBIND_ANSWER_LINK_DAYS = env_int("WXBIND_ANSWER_LINK_DAYS", 30, minimum=1)
# How long a relayed Slack file's link opens for someone outside the workspace (supportbot.slack.files).
WXBIND_FILE_LINK_DAYS = env_int("WXBIND_FILE_LINK_DAYS", 14, minimum=1)

# Longest case description kept (after masking secrets).
CASE_DESCRIPTION_MAX_CHARS = 5000

# Chat platforms the bot runs on: each front end's ChatPlatform (supportbot.conversation.platforms).
WXBIND_PLATFORMS = {
    "slack": "supportbot.slack.platform.SlackPlatform",
    "teams": "supportbot.teams.platform.TeamsPlatform",
}
# Where agents work cases that came from no chat of their own (the API): that platform's channels.
WXBIND_HOME_PLATFORM = env_choice("WXBIND_HOME_PLATFORM", "slack", list(WXBIND_PLATFORMS))
# What sends a case delivery (a new case, a change, a reminder): the conversation core.
WXBIND_COURIER = "supportbot.conversation.outbox.deliver"

# Without CELERY_BROKER_URL, a broker that needs no server: kombu's filesystem
# transport, message files in CELERY_BROKER_DIR, for `make run` on one machine.
# Production sets a Redis URL. Either way a lost message loses nothing: the
# delivery rows are the truth and the sweep hands out what no task took.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost/")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(BASE_DIR / ".celery" / "broker")))
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent (deliveries are claimed by compare-and-set), so a task is
# acknowledged only once it finished and redelivered if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
if CELERY_BROKER_URL.startswith("filesystem:"):
    CELERY_BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        # Its exchange table too; by default it lands in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no broadcast, which remote control needs.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Longer than the longest retry countdown (300 s) plus the send itself.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
# How often the beat looks for due follow-ups.
CASE_SWEEP_SECONDS = env_int("CASE_SWEEP_SECONDS", 30, minimum=1)
# First retry delay of a follow-up that failed for a passing reason; it doubles each time.
CASE_RETRY_BACKOFF_SECONDS = float(env_int("CASE_RETRY_BACKOFF_MS", 2000, minimum=1)) / 1000
# A worker's claim on a delivery (longer than any one send takes), and how long
# a delivery nobody claimed waits for its task before the sweep sends it again.
CASE_DELIVERY_LEASE_SECONDS = env_int("CASE_DELIVERY_LEASE_SECONDS", 120, minimum=1)
CASE_LOST_TASK_SECONDS = env_int("CASE_LOST_TASK_SECONDS", 300, minimum=1)
# Sends that fail for a passing reason (5xx, network) before a follow-up is given up as failed
# (recorded on it and on its case); rate-limit refusals and waiting out a pause are not counted.
CASE_DELIVERY_MAX_ATTEMPTS = env_int("CASE_DELIVERY_MAX_ATTEMPTS", 24, minimum=1)
# How often the workers count answer statistics per day for the insights page (it also counts before reading).
INSIGHTS_ROLLUP_SECONDS = env_int("INSIGHTS_ROLLUP_SECONDS", 600, minimum=10)
CELERY_BEAT_SCHEDULE = {
    "sweep-case-followups": {"task": "cases.sweep_followups", "schedule": float(CASE_SWEEP_SECONDS)},
    "refresh-answer-days": {"task": "insights.refresh_answer_days", "schedule": float(INSIGHTS_ROLLUP_SECONDS)},
}

# Lines as JSON objects in production (one per line, for a log collector), readable in development.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain" if DEBUG else "json", ["plain", "json"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "supportbot.logs.ContextFilter"},
        "redact": {"()": "supportbot.logs.RedactingFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "reserved_attrs": [*JSON_LOG_RESERVED_ATTRS, "context"],  # "context" is the plain format's
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context", "redact"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # Django gives its own loggers a console handler in DEBUG; the root's is enough (one line each).
        "django": {"handlers": [], "propagate": True},
        "jieba": {"level": "WARNING"},
    },
}
# Workers log through the same handler (request ids become case numbers and chat ids there).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors to Sentry, when a DSN is given.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, environment="development" if DEBUG else "production")
