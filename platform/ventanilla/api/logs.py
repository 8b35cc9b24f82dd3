"""Structured JSON access logs (structlog): route, status, latency, channel and key id only.

Never the question, the note, the answer or the query string: whatever a user typed stays out of the
logs (the audit store keeps the pseudonymized question; docs/channels.md).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_configured = False


def configure(level: str = "INFO") -> None:
    global _configured
    if _configured:
        return
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    _configured = True


def access_log(**fields: Any) -> None:
    structlog.get_logger("ventanilla.api").info("request", **fields)
