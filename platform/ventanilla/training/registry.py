"""Adapter registry: `<data dir>/adapters/NAME/` holds `adapter/` (peft files vLLM loads) and `manifest.json`.

The manifest is the technical record an AI Act file needs: base model and revision, the dataset manifest
and its hash, the hyperparameters, the training figures, the evaluation metrics and the dates.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def adapters_dir(data_dir: Path) -> Path:
    return data_dir / "adapters"


def base_revision(base: Path) -> str:
    """The base model's revision: its `.ready` stamp (local conversion), else sha256 of config.json."""
    ready = base / ".ready"
    if ready.is_file():
        return ready.read_text(encoding="utf-8").strip()
    config = base / "config.json"
    return hashlib.sha256(config.read_bytes()).hexdigest() if config.is_file() else "unknown"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(folder: Path, **fields: Any) -> Path:
    """Create or update NAME/manifest.json (fields are merged; `updated` is refreshed)."""
    path = folder / "manifest.json"
    current: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    current.setdefault("created", now)
    current.update(fields, name=folder.name, updated=now)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def list_adapters(data_dir: Path) -> list[dict[str, Any]]:
    """Every registered adapter's manifest, by name."""
    root = adapters_dir(data_dir)
    if not root.is_dir():
        return []
    return [
        json.loads((p / "manifest.json").read_text(encoding="utf-8"))
        for p in sorted(root.iterdir())
        if (p / "manifest.json").is_file()
    ]
