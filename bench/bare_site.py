"""A bare Django site for ``bench/load.py``: one view, no database, no middleware.

It is the floor the load benchmark compares backcare's hot read path with: the same Django, the
same waitress server with the same number of threads, on the same loopback, but nothing of
backcare (no sessions, no CSRF, no templates, no queries, no audit row). It is never part of the
product: the product's ``urls.py`` has no route to it. Run by ``bench/load.py``::

    python bench/bare_site.py PORT THREADS BODY_BYTES
"""

from __future__ import annotations

import os
import sys

from django.http import HttpRequest, HttpResponse
from django.urls import path

# Settings: this module is its own settings module and its own URLconf.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY", "bare-bench-site-not-used-for-anything-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_I18N = False
USE_TZ = True

BODY = b"x" * int(os.environ.get("BENCH_BODY_BYTES", "1024"))  # as long as the page compared


def bare(request: HttpRequest) -> HttpResponse:
    """A fixed page as long as the backcare page it is compared with."""
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bare/", bare)]


def main() -> None:
    port, threads, body_bytes = (int(arg) for arg in sys.argv[1:4])
    os.environ["BENCH_BODY_BYTES"] = str(body_bytes)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bare_site"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=threads, ident="bare")


if __name__ == "__main__":
    main()
