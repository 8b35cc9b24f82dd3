#!/usr/bin/env bash
# Latency breakdown of asks through the local vLLM (retrieval, prompt, time to first token, LLM, total,
# platform overhead share). Builds a small throwaway domain (two laws of the administration pack) under
# var/bench-generation, ingests it, starts `ventanilla llm serve-local`, runs `ventanilla llm bench`,
# and stops the server. Usage: bash bench/generation.sh [QUESTION]
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HAYSTACK_TELEMETRY_ENABLED=False DO_NOT_TRACK=1
export UNSTRUCTURED_DISABLE_NOTICE=1 TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=
ROOT=var/bench-generation
QUESTION=${1:-"¿Cuál es el plazo máximo para resolver y notificar un procedimiento administrativo?"}
PORT=${PORT:-8019}
mkdir -p "$ROOT"
.venv/bin/python - "$ROOT" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from conftest import make_mini_domain
from generation_support import LLM_BLOCK
root = Path(sys.argv[1]) / "domains"
if not (root / "prueba").exists():
    folder = make_mini_domain(root)
    with (folder / "domain.yaml").open("a", encoding="utf-8") as f:
        f.write(LLM_BLOCK.format(max_tokens=64, timeout_s=120))
PY
export VENTANILLA_DATA_DIR=$ROOT/var VENTANILLA_DOMAINS_DIR=$ROOT/domains
mkdir -p "$VENTANILLA_DATA_DIR"
# share the converted model with the tests' cache (var/models) instead of converting it again
[ -e "$VENTANILLA_DATA_DIR/models" ] || ln -s "$PWD/var/models" "$VENTANILLA_DATA_DIR/models"
.venv/bin/ventanilla ingest prueba || echo "bench: some files failed to ingest (above); the laws are enough, continuing"
.venv/bin/ventanilla llm serve-local --port "$PORT" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 400); do
  curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1 && break
  sleep 1
done
VENTANILLA_LLM_URL=http://127.0.0.1:$PORT/v1 .venv/bin/ventanilla llm bench prueba "$QUESTION" --repeat 4 --top-k 3
