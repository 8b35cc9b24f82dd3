"""The FastAPI side of API keys: who is calling (`Caller`), what they may do, how often.

`Authorizer.require(role)` is a dependency: it reads the key from `Authorization: Bearer …` or
`X-API-Key`, refuses unknown and revoked keys (401), missing roles (403), widget keys used from an
origin they are not bound to (403) and citizen traffic over its limits (429 + `Retry-After`). The
caller's access levels come from the key's channel only: no request field can widen them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from ventanilla.auth.keys import ApiKey, KeyStore
from ventanilla.auth.ratelimit import Limits, SlidingWindowLimiter
from ventanilla.i18n import t
from ventanilla.settings import Settings

LANGS = ("es", "ca", "eu", "gl", "en")


class AuthError(Exception):
    """A refused request: status, localized message and extra headers."""

    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None, kind: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.kind = kind


@dataclass(frozen=True)
class Caller:
    key: ApiKey

    @property
    def access(self) -> tuple[str, ...]:
        return self.key.access

    @property
    def channel(self) -> str:
        return self.key.channel

    def allowed_domains(self, available: Sequence[str]) -> list[str]:
        return [name for name in available if self.key.allows_domain(name)]

    def check_domain(self, domain: str, lang: str) -> None:
        """403 unless the key may use `domain`; 'all' needs a key valid for every domain."""
        wildcard = "*" in self.key.domains
        if (domain == "all" and not wildcard) or (domain != "all" and not self.key.allows_domain(domain)):
            raise AuthError(403, t("error_key_domain", lang, domain=domain), kind="domain")


def request_lang(request: Request) -> str:
    lang = request.query_params.get("lang")
    if lang in LANGS:
        return lang
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "es"


def token_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


def client_address(request: Request) -> str:
    """The peer address (behind a proxy, run uvicorn with --proxy-headers so this is the client's)."""
    return request.client.host if request.client else "unknown"


class Authorizer:
    def __init__(self, settings: Settings, on_rate_limited: Callable[[str, str], None] | None = None) -> None:
        self.settings = settings
        self.store = KeyStore(settings)
        self.limiter = SlidingWindowLimiter()
        self.on_rate_limited = on_rate_limited

    def key_limits(self, key: ApiKey) -> Limits:
        s = self.settings
        per_minute = s.citizen_key_per_minute if key.per_minute is None else key.per_minute
        per_day = s.citizen_key_per_day if key.per_day is None else key.per_day
        return Limits(per_minute, per_day)

    def address_limits(self, key: ApiKey) -> Limits:
        """A key with its own limits set to 0 (unlimited) is a trusted server-side key: no address limit."""
        if key.per_minute == 0 and key.per_day == 0:
            return Limits(0, 0)
        return Limits(self.settings.citizen_address_per_minute, self.settings.citizen_address_per_day)

    def buckets(self, key: ApiKey, request: Request) -> list[tuple[str, str, Limits]]:
        """Citizen keys: their own limits (or the settings' defaults) and a per-address window.
        Other channels: only the limits set on the key itself (none by default)."""
        if key.channel == "citizen":
            address = f"{key.id}|{client_address(request)}"
            return [("key", key.id, self.key_limits(key)), ("address", address, self.address_limits(key))]
        return [("key", key.id, Limits(key.per_minute or 0, key.per_day or 0))]

    def check(self, request: Request, role: str) -> Caller:
        lang = request_lang(request)
        token = token_of(request)
        if token is None:
            raise AuthError(401, t("error_key_missing", lang), {"WWW-Authenticate": "Bearer"}, "missing")
        key = self.store.authenticate(token)
        if key is None or key.revoked:
            kind = "revoked" if key is not None else "invalid"
            raise AuthError(401, t("error_key_invalid", lang), {"WWW-Authenticate": "Bearer"}, kind)
        if role not in key.roles and "admin" not in key.roles:
            raise AuthError(403, t("error_key_role", lang, role=role), kind="role")
        origin = request.headers.get("origin")
        if key.origins and (origin is None or origin.lower().rstrip("/") not in key.origins):
            raise AuthError(403, t("error_key_origin", lang, origin=origin or "-"), kind="origin")
        buckets = self.buckets(key, request)
        full, wait = self.limiter.hit_all([(bucket, limits) for _, bucket, limits in buckets])
        if full is not None and wait is not None:  # a refused request counts in no window
            if self.on_rate_limited is not None:
                self.on_rate_limited(key.channel, buckets[full][0])
            headers = {"Retry-After": str(int(wait))}
            raise AuthError(429, t("error_rate_limited", lang, seconds=int(wait)), headers, "rate")
        caller = Caller(key)
        request.state.caller = caller
        return caller

    def require(self, role: str) -> Callable[[Request], object]:
        async def dependency(request: Request) -> Caller:
            return await run_in_threadpool(self.check, request, role)

        return dependency
