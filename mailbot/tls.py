"""tls_context: one verifying TLS client context per process, built on first use (it costs ~20 ms)."""

from __future__ import annotations

import functools
import ssl


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The default client context: certificate and host name checked against the system store."""
    return ssl.create_default_context()
