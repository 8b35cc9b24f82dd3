#!/usr/bin/env bash
# Starts vLLM on a GPU node with the base ALIA model and one LoRA adapter per domain; each adapter is
# served as a model name that a domain's `llm.adapter` selects. Adapters come from `ventanilla train lora`.
set -euo pipefail
BASE=${BASE:-BSC-LT/ALIA-40b-instruct}      # or BSC-LT/salamandra-7b-instruct for smaller deployments
ADAPTERS=${ADAPTERS:-/models/adapters}      # <domain>/ folders with adapter_config.json
args=()
for dir in "$ADAPTERS"/*/; do
  [ -f "$dir/adapter_config.json" ] && args+=("$(basename "$dir")=$dir")
done
exec vllm serve "$BASE" \
  --tensor-parallel-size "${TP:-4}" --dtype bfloat16 --max-model-len "${MAX_LEN:-8192}" \
  --enable-lora --max-lora-rank "${MAX_LORA_RANK:-64}" ${args:+--lora-modules "${args[@]}"} \
  --host 0.0.0.0 --port 8000
