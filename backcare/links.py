"""The address every link backcare writes starts with: invitations, set-password links,
reminder and alert e-mails, calendar feeds.

``BACKCARE_BASE_URL`` when it is set. Otherwise the address ``backcare serve`` was last started
on, which ``serve`` writes to ``DATA_DIR/served-at`` so that commands and scheduled jobs (run
from cron, in other processes) write the same links as the pages; with neither,
``http://127.0.0.1:8000``, the address ``serve`` listens on by default.
"""

from __future__ import annotations

import socket
from pathlib import Path

from django.conf import settings

DEFAULT_URL = "http://127.0.0.1:8000"
ALL_INTERFACES = ("0.0.0.0", "::", "")


def served_at_file() -> Path:
    return Path(settings.DATA_DIR) / "served-at"


def site_url() -> str:
    """The public address, without a trailing slash."""
    if settings.BASE_URL:
        return str(settings.BASE_URL)
    try:
        served = served_at_file().read_text(encoding="utf-8").strip()
    except OSError:
        served = ""
    return served or DEFAULT_URL


def absolute_url(path: str) -> str:
    """``path`` (e.g. from ``reverse``) as an absolute link."""
    return site_url() + path


def record_serving_address(host: str, port: int) -> str:
    """Remember where ``serve`` listens (unless ``BACKCARE_BASE_URL`` decides); return the
    address links will use. On all interfaces, the address this machine is reached by on its
    network is a guess: ``serve`` says so and suggests ``BACKCARE_BASE_URL``."""
    if host in ALL_INTERFACES:
        host = _network_address()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    url = f"http://{host}:{port}"
    if not settings.BASE_URL:
        served_at_file().parent.mkdir(parents=True, exist_ok=True)
        served_at_file().write_text(url + "\n", encoding="utf-8")
    return site_url()


def _network_address() -> str:
    """This machine's address on its network: the source address of a route out (a UDP
    ``connect`` sends nothing), else its host name."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 1))
            return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()
