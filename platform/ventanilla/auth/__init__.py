"""API keys, channels and access levels, rate limits (issue 8; docs/channels.md)."""

from ventanilla.auth.keys import CHANNEL_ACCESS, CHANNELS, ROLES, ApiKey, KeyStore, KeyStoreError

__all__ = ["CHANNELS", "CHANNEL_ACCESS", "ROLES", "ApiKey", "KeyStore", "KeyStoreError"]
