"""The transport for a plain-HTTP server on loopback (the local sandbox): no TLS, no SSL context.

httpx builds an `ssl.SSLContext` for every transport, `verify=False` too,
and OpenSSL's tables for it stay for the session: about 0.5 MiB of the app's
memory (bench/bench_memory.py, issue 17) for a connection that never speaks
TLS. `plain_http_transport()` is httpx's own transport with a connection pool
that holds no context; httpcore would make a verifying one only for an
https URL, which a client of an http:// server never asks for (it does not
follow redirects).
"""

from __future__ import annotations

import httpx


def plain_http_transport() -> httpx.AsyncHTTPTransport:
    """httpx's `AsyncHTTPTransport`, with its defaults, minus the SSL context."""
    import httpcore

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's
    transport = httpx.AsyncHTTPTransport.__new__(httpx.AsyncHTTPTransport)
    # Its one attribute: `handle_async_request` and `aclose` use the pool alone.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=None,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
    )
    return transport
