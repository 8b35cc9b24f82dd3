"""CORS for widget keys: a browser origin is allowed when some active key is bound to it.

The allow-list is read from the key store (cached a few seconds), so a widget key created or revoked
while the server runs takes effect without a restart. CORS only tells browsers what they may read;
the origin check of `Authorizer` (403) is what actually refuses a key used from elsewhere.
"""

from __future__ import annotations

import threading
import time

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from ventanilla.auth.keys import KeyStore

CACHE_SECONDS = 5.0


class KeyOriginsCORS(CORSMiddleware):
    def __init__(self, app: ASGIApp, store: KeyStore) -> None:
        super().__init__(
            app,
            allow_origins=(),
            allow_methods=("GET", "POST", "OPTIONS"),
            allow_headers=("Authorization", "X-API-Key", "Content-Type", "Accept-Language"),
            expose_headers=("Retry-After",),
            max_age=600,
        )
        self.store = store
        self._origins: set[str] = set()
        self._read = 0.0
        self._lock = threading.Lock()

    def is_allowed_origin(self, origin: str) -> bool:
        with self._lock:
            if time.monotonic() - self._read > CACHE_SECONDS:
                self._origins = self.store.origins()
                self._read = time.monotonic()
            return origin.lower().rstrip("/") in self._origins
