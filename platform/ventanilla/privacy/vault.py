"""Reversible pseudonymization: a per-conversation vault of placeholders and the originals they hide.

The vault lives in memory only (never written to disk, never logged): the model, the index, the logs
and the audit store see placeholders; `restore` puts the originals back only in the clinician's view.
`VaultStore` keeps one vault per conversation and forgets it after a TTL.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*?)_(\d+)>")


@dataclass
class Vault:
    """Placeholders are numbered per tag in order of first appearance: <PERSONA_1>, <PERSONA_2>..."""

    originals: dict[str, str] = field(default_factory=dict)  # placeholder -> original
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    _by_text: dict[str, str] = field(default_factory=dict)
    _counters: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _key(value: str) -> str:
        return " ".join(value.split()).casefold()

    def placeholder(self, tag: str, original: str) -> str:
        """The same original always gets the same placeholder, even when a later turn types it
        differently (the NER may read a name once as a patient, once as a professional)."""
        key = (tag, self._key(original))
        found = self._by_value.get(key) or self._by_text.get(key[1])
        if found is not None:
            return found
        self._counters[tag] = self._counters.get(tag, 0) + 1
        ph = f"<{tag}_{self._counters[tag]}>"
        self._by_value[key] = ph
        self._by_text[key[1]] = ph
        self.originals[ph] = original
        return ph

    def __len__(self) -> int:
        return len(self.originals)

    def __repr__(self) -> str:  # never print originals
        return f"Vault({len(self)} placeholders)"


def restore(text: str, vault: Vault) -> str:
    """Put the originals back; placeholders the vault does not know stay as they are."""
    return PLACEHOLDER.sub(lambda m: vault.originals.get(m.group(0), m.group(0)), text)


class VaultStore:
    """One vault per conversation id, in memory, expiring `ttl_s` seconds after its last use."""

    def __init__(self, ttl_s: float = 3600.0) -> None:
        self.ttl_s = ttl_s
        self._vaults: dict[str, tuple[float, Vault]] = {}
        self._lock = threading.Lock()

    def get(self, conversation: str) -> Vault:
        now = time.monotonic()
        with self._lock:
            for key in [k for k, (seen, _) in self._vaults.items() if now - seen > self.ttl_s]:
                del self._vaults[key]
            _, vault = self._vaults.get(conversation, (now, Vault()))
            self._vaults[conversation] = (now, vault)
            return vault

    def drop(self, conversation: str) -> None:
        with self._lock:
            self._vaults.pop(conversation, None)

    def __len__(self) -> int:
        return len(self._vaults)
