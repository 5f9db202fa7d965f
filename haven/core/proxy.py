"""Running behind a reverse proxy: which hops waitress trusts, and the client address Haven uses.

Plain Python with no Django import. Waitress does the trusting, once, for everything above it: for a
request from the proxy's address it takes the client's address from X-Forwarded-For (counting
HAVEN_PROXY_COUNT hops from the right), the scheme from X-Forwarded-Proto and the host from
X-Forwarded-Host, and it removes those headers from any other peer's request, so a forged header
sent straight to Haven's port changes nothing. Django (`is_secure()`, redirects), django-axes, the
limits on public forms and the audit log then all read the same REMOTE_ADDR and URL scheme.
"""

from __future__ import annotations

TRUSTED_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"})


def waitress_options(*, proxy_count: int, proxy_address: str) -> dict:
    """Keyword arguments for `waitress.create_server`."""
    if proxy_count <= 0:
        # Nothing is trusted, and proxy headers from anyone are dropped before Django sees them.
        return {"clear_untrusted_proxy_headers": True}
    return {
        "trusted_proxy": proxy_address,
        "trusted_proxy_count": proxy_count,
        "trusted_proxy_headers": set(TRUSTED_HEADERS),
        "clear_untrusted_proxy_headers": True,
    }


def client_address(request) -> str | None:
    """The address a request came from: REMOTE_ADDR, as waitress resolved it through the proxy.

    Also django-axes' AXES_CLIENT_IP_CALLABLE, so lockouts key on the same address. Waitress writes
    an IPv6 address taken from X-Forwarded-For in brackets; the brackets are not part of the address.
    """
    if request is None:
        return None
    address = (request.META.get("REMOTE_ADDR") or "").strip()
    if address.startswith("[") and address.endswith("]"):
        address = address[1:-1]
    return address or None
