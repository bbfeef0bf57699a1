"""Settings, read from environment variables with defaults that work on a laptop.

Every variable is listed, with its default and meaning, in ``CONFIG`` below and in the README
(a test keeps the two in step). In production (``BACKCARE_ENV=production``) the process refuses to
start with an insecure setting.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent

CONFIG = {
    "BACKCARE_ENV": ("development", "`production` turns on the safety checks and secure cookies."),
    "BACKCARE_SECRET_KEY": ("(insecure development key)", "Signs sessions and reset links."),
    "BACKCARE_DEBUG": ("off", "`on` shows Django's debug pages (development only)."),
    "BACKCARE_DATA_DIR": ("./data", "Folder for the SQLite database."),
    "DATABASE_URL": ("sqlite in BACKCARE_DATA_DIR", "e.g. postgres://user:pw@host:5432/backcare"),
    "BACKCARE_ALLOWED_HOSTS": ("localhost,127.0.0.1", "Comma-separated host names served."),
    "BACKCARE_BASE_URL": ("where `serve` listens", "Public address used in links and e-mails."),
    "BACKCARE_EMAIL_URL": ("console", "`console`, smtp://user:pw@host:587, or smtps://…:465."),
    "BACKCARE_BEHIND_PROXY": ("off", "`on` behind a local TLS proxy that sets X-Forwarded-Proto."),
    "BACKCARE_FROM_EMAIL": ("backcare@localhost", "Sender of invitations and reset e-mails."),
    "BACKCARE_CONTENT_DIR": ("./content", "Folder holding the exercise library files."),
}


def env(name: str, default: str) -> str:
    """One configuration variable (the names are documented in ``CONFIG``)."""
    return os.environ.get(name, default)


ENVIRONMENT = env("BACKCARE_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("BACKCARE_SECRET_KEY", DEV_SECRET_KEY)
# Off unless asked for, the demo included: a debug page lists every URL and shows tracebacks to
# whoever mistypes a link, so visitors see backcare's own error pages (backcare/errors.py).
DEBUG = env("BACKCARE_DEBUG", "off").lower() in ("1", "true", "yes", "on")
ALLOWED_HOSTS = [h.strip() for h in env("BACKCARE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")]
# Empty: links follow the address `serve` was started on (backcare/links.py)
BASE_URL = env("BACKCARE_BASE_URL", "").rstrip("/")
BEHIND_PROXY = env("BACKCARE_BEHIND_PROXY", "off").lower() in ("1", "true", "yes", "on")
_base = urlparse(BASE_URL)
# forms posted from the public address (behind a proxy, its Host may differ from ours)
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"] if BASE_URL else []
if BEHIND_PROXY:  # the proxy terminates TLS and says so; waitress trusts it from loopback only
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_DIR = Path(env("BACKCARE_DATA_DIR", str(Path.cwd() / "data"))).resolve()
CONTENT_DIR = Path(env("BACKCARE_CONTENT_DIR", str(REPO_DIR / "content"))).resolve()

SQLITE_OPTIONS = {
    # WAL lets readers work while one writer commits; FULL sync makes each commit durable
    # against power loss, which health records need. IMMEDIATE takes the write lock at BEGIN,
    # so concurrent writers queue instead of failing with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}

_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "backcare.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
            # a file, not memory, so tests run on the same WAL/FULL set-up as production
            "TEST": {"NAME": str(DATA_DIR / "test-backcare.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its bundled Swagger UI files, so /api/v1/docs loads nothing from a CDN
    "django_otp",  # two-factor sign-in for clinic staff (backcare/accounts/two_factor.py)
    "django_otp.plugins.otp_totp",
    "axes",  # login throttling: failed attempts per (username, IP address), see AXES_* below
    "backcare.accounts",
    "backcare.audit",
    "backcare.alerts",
    "backcare.patients",
    "backcare.library",
    "backcare.programmes",
    "backcare.logbook",
    "backcare.instruments",
    "backcare.checkins",
    "backcare.reviews",
    "backcare.outcomes",
    "backcare.motion",
    "backcare.reminders",
    "backcare.documents",
    "backcare.operations",
    "backcare.rights",
]

MIDDLEWARE = [
    "backcare.problems.ProblemMiddleware",  # outermost: every /api/ error becomes a problem
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backcare.caching.NoStoreMiddleware",  # after WhiteNoise: static files keep their cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): second factor given
    "backcare.accounts.language.UserLanguageMiddleware",  # a saved choice beats the browser's
    "django.contrib.messages.middleware.MessageMiddleware",
    "backcare.accounts.sessions.SessionLifetimeMiddleware",  # idle and absolute session limits
    "backcare.accounts.two_factor.SecondFactorMiddleware",  # staff: no page before the code
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into its page
    # last: runs the view as one transaction that writes its one audit row (backcare/audit/trail.py)
    "backcare.audit.trail.AuditMiddleware",
]

ROOT_URLCONF = "backcare.urls"
WSGI_APPLICATION = "backcare.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out attempt before any check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The name authenticator apps show beside a staff member's code (django-otp's TOTP device)
OTP_TOTP_ISSUER = "backcare"

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
                "backcare.accounts.context.demo_banner",
                "backcare.accounts.context.open_alerts",
                "backcare.accounts.context.second_factor_pending",
                "backcare.accounts.sessions.staff_session",
            ]
        },
    }
]

# Argon2id first (winner of the Password Hashing Competition, OWASP's first choice for password
# storage); the others only read older hashes, which are upgraded to Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Patient pages and the exercise library are shipped in these languages; the switch in the page
# footer lists them. Adding one means a locale/<code>/ catalogue and content/exercises/<code>/.
LANGUAGES = [("en-gb", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when using finders
STATICFILES_DIRS = [BASE_DIR / "static"]  # the project's own CSS (backcare/static/backcare/)
WHITENOISE_USE_FINDERS = True  # serve app static files directly; no collectstatic step
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_email_url = env("BACKCARE_EMAIL_URL", "console")
DEFAULT_FROM_EMAIL = env("BACKCARE_FROM_EMAIL", "backcare@localhost")
if _email_url == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    _email = urlparse(_email_url)
    if _email.scheme not in ("smtp", "smtps") or not _email.hostname:
        raise ImproperlyConfigured(
            "BACKCARE_EMAIL_URL must be `console`, smtp://user:pw@host:587 or smtps://…:465"
        )
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL
    EMAIL_TIMEOUT = 10

# Session limits (backcare/accounts/sessions.py): OWASP Session Management Cheat Sheet, "Session
# Expiration" (idle 15–30 min, absolute 4–8 h for a working day) and issue 6 (15 min for staff).
BACKCARE_STAFF_IDLE_TIMEOUT = timedelta(minutes=15)
BACKCARE_STAFF_SESSION_LIFETIME = timedelta(hours=8)
BACKCARE_PATIENT_SESSION_LIFETIME = timedelta(days=30)  # their own phone, no idle timeout
BACKCARE_IDLE_WARNING = timedelta(minutes=2)  # staff pages warn this long before the idle end
BACKCARE_ACTIVITY_REPORT_INTERVAL = timedelta(minutes=1)  # typing restarts the clock this often
SESSION_COOKIE_AGE = int(BACKCARE_PATIENT_SESSION_LIFETIME.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Login throttling (django-axes; docs/security.md "Login throttling"). NIST SP 800-63B §5.2.2
# (rate limiting) and the OWASP Authentication Cheat Sheet ("Login Throttling", "Account
# Lockout") ask to limit consecutive failed attempts and to prefer a short automatic lockout to a
# permanent one: 5 failures, then 15 minutes. Counting per (username, IP address) pair means a
# guesser cannot lock a clinician out from another address, and one address cannot try many
# accounts without each pair being limited. An IPv6 address counts as its /64 network (RFC 6177:
# one end site holds a whole /64), see backcare/accounts/addresses.py.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)  # counted from the last failed attempt
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a correct password before the limit starts the count again
# Axes' default, kept on purpose: an attempt during the lockout (even with the right password)
# restarts the 15 minutes, so a guesser who keeps trying stays locked out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # 429 Too Many Requests (axes' default)
AXES_DISABLE_ACCESS_LOG = True  # no second store of who logged in from where; failures only
AXES_CLIENT_IP_CALLABLE = "backcare.accounts.addresses.client_address"
# SP 800-63B §5.2.2 caps failures per *account* at 100: axes logs each failure per username, and
# the login form refuses a username with 100 since its last login until a password reset
# (backcare/accounts/ceiling.py); more rows per username than that would change nothing.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 100  # = ceiling.FAILURE_CEILING
# Kept out of the stored request data (the password is always masked by axes itself)
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
if BEHIND_PROXY:
    # The local proxy appends the address it saw to X-Forwarded-For; only that right-most entry
    # is trusted (anything before it was sent by the client). python-ipware counts the proxies
    # listed *after* the client in the header: ours puts none there (waitress keeps just the
    # last hop, see `serve`), hence 0, and non-strict so a forged prefix is skipped, not fatal.
    # OWASP Authentication Cheat Sheet: rate limiting must not trust client-supplied headers.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = 0
    IPWARE_STRICT = False
else:  # no proxy: the TCP peer is the client; a client-sent X-Forwarded-For is ignored
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
CSRF_FAILURE_VIEW = "backcare.errors.csrf_failure"  # in the site's layout and language
X_FRAME_OPTIONS = "DENY"
# Nothing a page loads may come from anywhere but this server: no CDN, no font service, no
# analytics, no inline script or style (django-csp sets the header on every response).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Browsers must only ever reach backcare over HTTPS (a year, as Django's deployment checklist
    # and OWASP's HSTS cheat sheet advise). Preloading is the site owner's choice, so it is off.
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload: a decision for the domain's owner
    # Plain-HTTP requests are redirected to HTTPS; only a TLS proxy can tell us the scheme.
    SECURE_SSL_REDIRECT = BEHIND_PROXY
    problems = []
    # Django's own deployment check (security.W009): at least 50 characters, 5 different ones
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("BACKCARE_SECRET_KEY must be set to a random value of 50+ characters")
    if DEBUG:
        problems.append("BACKCARE_DEBUG must be off")
    # links in e-mails (reminders, alerts, invitations) are sent by jobs outside any request,
    # so only the setting can give them the address patients use; cookies are HTTPS-only
    if not BASE_URL.startswith("https://"):
        problems.append("BACKCARE_BASE_URL must be the public https:// address")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
