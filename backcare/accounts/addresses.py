"""The client address that login throttling and the wrong-link limit count by.

django-axes calls ``client_address`` (``AXES_CLIENT_IP_CALLABLE``) wherever it needs the
address, and ``axes.helpers.get_client_ip_address`` returns its answer, so the wrong-link limit
(``backcare.audit.probes``) counts by the same value.

An IPv6 address is counted by its /64 network: an end site is given a /64 or shorter (RFC 6177;
RFC 4291 makes /64 the interface-identifier boundary), so one attacker holds 2^64 addresses, and
counting each one apart would give them 2^64 fresh starts (OWASP Authentication Cheat Sheet,
"Login Throttling": throttling must not be trivially bypassed). The network is written as its
first address (``2001:db8:1:2::``), not as ``2001:db8:1:2::/64``: axes keeps it in a
``GenericIPAddressField``, which on PostgreSQL accepts a plain address only.
"""

from __future__ import annotations

import ipaddress

from axes.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip

__all__ = ["IPV6_PREFIX_LENGTH", "client_address", "counted_as"]

IPV6_PREFIX_LENGTH = 64
"""IPv6 addresses sharing this many leading bits count as one client (RFC 6177, see above)."""


def counted_as(address: str) -> str:
    """The value an address is counted by: IPv4 as is, IPv6 as its /64 network's first address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return str(ip.ipv4_mapped)
    network = ipaddress.IPv6Network((ip, IPV6_PREFIX_LENGTH), strict=False)
    return str(network.network_address)


def client_address(request: HttpRequest) -> str | None:
    """The request's client address as django-axes resolves it (same python-ipware call and
    ``AXES_IPWARE_*`` settings as ``axes.helpers.get_client_ip_address``), then grouped."""
    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=settings.AXES_IPWARE_PROXY_TRUSTED_IPS,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return counted_as(address) if address else None
