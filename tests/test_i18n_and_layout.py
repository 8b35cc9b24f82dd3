"""The catalogue is complete and the `platform/` folder never shadows the standard library."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO
from ventanilla.i18n import missing_translations, t


def test_every_message_in_every_language() -> None:
    assert missing_translations() == []


def test_messages_format() -> None:
    assert "«tax»" in t("error_unknown_domain", "es", domain="tax", available="health")
    assert t("abstain", "xx") == t("abstain", "es")


def test_stdlib_platform_still_importable_from_repo_root() -> None:
    code = "import platform; print(platform.system())"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Linux"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import ventanilla, platform; print(ventanilla.__file__, platform.python_version())",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "platform/ventanilla/__init__.py" in done.stdout
