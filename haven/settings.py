"""Django settings for Haven, read from environment variables.

Every variable, its default and its effect are listed in docs/CONFIGURATION.md. Secrets are never
set here: they come from the environment or from files in the data folder (haven/conf.py).
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from haven import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

SECRET_KEY = conf.secret_key()
DEBUG = conf.env_bool("HAVEN_DEBUG", False)
ALLOWED_HOSTS = conf.env_list("HAVEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = conf.env_list("HAVEN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "haven.core",
    "haven.accounts",
    "haven.places",
    "haven.participants",
    "haven.inventory",
    "haven.encounters",
    "haven.offline",
    "haven.alerts",
    "haven.overdose",
    "haven.consumption",
    "haven.education",
    "haven.drugchecking",
    "haven.reports",
    "haven.directory",
    "haven.support",
    "haven.branding",
    "haven.retention",
    "haven.housing",
    "haven.rights",
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
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees the resolved URL and the verified user: the one place where the
    # permission matrix (haven/accounts/permissions.py) is enforced for every view and endpoint.
    "haven.accounts.middleware.AccessMiddleware",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.accounts.context_processors.navigation",
                "haven.branding.context_processors.program",
            ],
        },
    },
]


def _database_settings():
    url = conf.env_str("DATABASE_URL")
    if url:
        import dj_database_url

        try:
            parsed = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except (ValueError, KeyError) as error:
            raise conf.ConfigError(
                f"DATABASE_URL is not a valid database URL ({error}). "
                "Example: postgres://haven:PASSWORD@127.0.0.1:5432/haven"
            ) from None
        if parsed.get("ENGINE") not in {
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        }:
            raise conf.ConfigError(
                "DATABASE_URL must name a PostgreSQL (postgres://...) or SQLite (sqlite:///...) database."
            )
        if parsed["ENGINE"] == "django.db.backends.postgresql" and not parsed.get("NAME"):
            raise conf.ConfigError("DATABASE_URL names no database: add it after the last '/'.")
        if parsed["ENGINE"] == "django.db.backends.sqlite3":
            parsed["ENGINE"] = SQLITE_ENGINE
            parsed["OPTIONS"] = _sqlite_options()
            parsed["CONN_MAX_AGE"] = SQLITE_CONN_MAX_AGE
            parsed["CONN_HEALTH_CHECKS"] = False
        else:
            parsed.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        return parsed
    return {
        "ENGINE": SQLITE_ENGINE,
        "NAME": DATA_DIR / "haven.sqlite3",
        "OPTIONS": _sqlite_options(),
        "CONN_MAX_AGE": SQLITE_CONN_MAX_AGE,
        # Tests use a real file, as production does, so that they can read the raw bytes.
        "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    }


# Django's backend with one writer at a time per process queued on a lock (see its docstring).
SQLITE_ENGINE = "haven.core.sqlite_backend"
# Each server thread keeps its connection: a new one per request re-reads the schema and starts with
# a cold page cache, which costs more than the request itself on a large database.
SQLITE_CONN_MAX_AGE = conf.env_int("HAVEN_SQLITE_CONN_MAX_AGE", 600)


def _sqlite_options():
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions take the write
    # lock up front so that two writers wait (busy timeout) instead of failing on lock upgrade.
    # Django turns foreign keys on for every SQLite connection.
    return {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # 32 MB of page cache per connection and the file mapped into memory: reads of the large
        # tables (visits, supply lines, the ledger) come from memory instead of read() calls.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-32000; PRAGMA mmap_size=1073741824;"
        ),
    }


DATABASES = {"default": _database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): lock the username+address pair, not the whole address, so that one
# person mistyping at a shared front-desk computer does not lock out their colleagues.
AXES_FAILURE_LIMIT = conf.env_int("HAVEN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = conf.env_int("HAVEN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The address waitress resolved through the trusted proxy (haven/core/proxy.py), never a header.
AXES_CLIENT_IP_CALLABLE = "haven.core.proxy.client_address"

# Behind a reverse proxy: how many proxy hops waitress trusts, and the address the nearest one
# connects from ("*": any, only when nothing but the proxy can reach Haven's port).
HAVEN_PROXY_COUNT = conf.env_int("HAVEN_PROXY_COUNT", 0)
HAVEN_PROXY_ADDRESS = conf.env_str("HAVEN_PROXY_ADDRESS", "127.0.0.1")

# Roles that must use two-factor authentication. `haven demo` empties it for its own process only.
HAVEN_2FA_REQUIRED_ROLES = conf.env_list("HAVEN_2FA_REQUIRED_ROLES", ["admin", "coordinator"])
# Drug checking "four eyes": whoever recorded a test cannot review and release that sample's result,
# unless a one-person service allows it (every review is audited with who recorded what).
HAVEN_DRUGCHECKING_SELF_REVIEW = conf.env_bool("HAVEN_DRUGCHECKING_SELF_REVIEW", False)
OTP_TOTP_ISSUER = conf.env_str("HAVEN_PROGRAM_NAME", "Haven")

# Sessions: an idle shift device signs out by itself; the expiry slides while the person works.
SESSION_COOKIE_AGE = conf.env_int("HAVEN_SESSION_IDLE_MINUTES", 60, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Served over HTTPS (directly or behind a TLS proxy): secure cookies, HSTS, redirect to HTTPS.
HAVEN_HTTPS = conf.env_bool("HAVEN_HTTPS", False)
SESSION_COOKIE_SECURE = HAVEN_HTTPS
CSRF_COOKIE_SECURE = HAVEN_HTTPS
SECURE_SSL_REDIRECT = HAVEN_HTTPS
SECURE_HSTS_SECONDS = 63072000 if HAVEN_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HAVEN_HTTPS
# The preload flag does nothing until someone submits the domain to the browsers' list.
SECURE_HSTS_PRELOAD = HAVEN_HTTPS
# No SECURE_PROXY_SSL_HEADER: behind the proxy, waitress sets the request's URL scheme from
# X-Forwarded-Proto for the proxy's requests only (haven/core/proxy.py), so `is_secure()` is right
# without Django trusting a header that any client could send.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


# A strict policy: nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch's choice is kept for a year (Django's default cookie ends with the browser).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HAVEN_HTTPS
TIME_ZONE = conf.env_str("HAVEN_TIME_ZONE", "UTC")
USE_I18N = True
FORMAT_MODULE_PATH = ["haven.formats"]  # one date and time format per language (haven/formats/)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (`haven serve` collects them); the test suite serves
    # files straight from the apps (HAVEN_STATIC_MANIFEST=0) without a collect step.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if conf.env_bool("HAVEN_STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# A file missing from the manifest falls back to its plain name instead of failing the page.
WHITENOISE_MANIFEST_STRICT = False

EMAIL_HOST = conf.env_str("HAVEN_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = conf.env_int("HAVEN_SMTP_PORT", 25)
EMAIL_HOST_USER = conf.env_str("HAVEN_SMTP_USER")
EMAIL_HOST_PASSWORD = conf.env_str("HAVEN_SMTP_PASSWORD")
EMAIL_USE_TLS = conf.env_bool("HAVEN_SMTP_STARTTLS", False)
DEFAULT_FROM_EMAIL = conf.env_str("HAVEN_FROM_EMAIL", "haven@localhost")

HAVEN_PROGRAM_NAME = conf.env_str("HAVEN_PROGRAM_NAME", "Haven")
HAVEN_PROGRAM_CONTACT = conf.env_str("HAVEN_PROGRAM_CONTACT", "")
# Support records the program must keep by law after a person withdraws consent (docs/SUPPORT.md):
# any of goals, support_contacts, safety_plans, referrals. Empty: withdrawal erases every note and plan.
HAVEN_SUPPORT_KEEP_BY_LAW = conf.env_list("HAVEN_SUPPORT_KEEP_BY_LAW", [])
# The public address for links in e-mails and webhooks; unset: the address of the request.
HAVEN_PUBLIC_URL = conf.env_str("HAVEN_PUBLIC_URL", "")
# Lookups by code that find nobody, per staff account per ten minutes, before lookups pause.
HAVEN_LOOKUP_MISS_LIMIT = conf.env_int("HAVEN_LOOKUP_MISS_LIMIT", 60, minimum=1)
# How participants make their code from things they remember: PART:LENGTH:letters|digits, in order.
HAVEN_PARTICIPANT_CODE_RECIPE = conf.env_str(
    "HAVEN_PARTICIPANT_CODE_RECIPE",
    "mother_first_name:2:letters,birth_month:2:digits,birth_year:2:digits,birth_city:1:letters",
)
HAVEN_WORKER_POLL_SECONDS = conf.env_int("HAVEN_WORKER_POLL_SECONDS", 5, minimum=1)
# Where the worker sends the audit log's head once a day (haven/core/anchor.py); empty: nowhere.
HAVEN_AUDIT_ANCHOR_EMAIL = conf.env_list("HAVEN_AUDIT_ANCHOR_EMAIL", [])
HAVEN_AUDIT_ANCHOR_WEBHOOK = conf.env_str("HAVEN_AUDIT_ANCHOR_WEBHOOK")
# Daily backups by the worker (haven/core/backup.py): the folder, how many to keep, the passphrase file.
HAVEN_BACKUP_DIR = conf.env_str("HAVEN_BACKUP_DIR")
HAVEN_BACKUP_KEEP = conf.env_int("HAVEN_BACKUP_KEEP", 7, minimum=1)
HAVEN_BACKUP_PASSPHRASE_FILE = conf.env_str("HAVEN_BACKUP_PASSPHRASE_FILE")

# Application logs carry no personal data: the redaction filter scrubs what slips through
# (e-mail addresses, phone numbers, tokens), and request bodies are never logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "haven.core.logredact.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": conf.env_str("HAVEN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
