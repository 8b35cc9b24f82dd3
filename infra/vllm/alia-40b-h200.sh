#!/usr/bin/env bash
# ALIA-40b-instruct, bf16, on one H200 (141 GB), with one LoRA adapter per domain served as a model name.
# Point Ventanilla at it: VENTANILLA_LLM_URL=http://<host>:${PORT:-8000}/v1
set -euo pipefail
MODEL_DIR=${MODEL_DIR:-/models/ALIA-40b-instruct}
ADAPTERS_DIR=${ADAPTERS_DIR:-/models/adapters}
loras=()
# the training registry layout (NAME/adapter/, `ventanilla train lora`) or a bare peft folder (NAME/)
for adapter in "$ADAPTERS_DIR"/*/; do
  name=$(basename "$adapter")
  if [ -f "$adapter/adapter/adapter_config.json" ]; then loras+=("$name=${adapter}adapter")
  elif [ -f "$adapter/adapter_config.json" ]; then loras+=("$name=$adapter"); fi
done
exec vllm serve "$MODEL_DIR" \
  --served-model-name alia-40b-instruct \
  --dtype bfloat16 --max-model-len 8192 --gpu-memory-utilization 0.90 --max-num-seqs 64 \
  --generation-config auto \
  --enable-lora --max-lora-rank 64 --max-loras 4 ${loras:+--lora-modules "${loras[@]}"} \
  --enable-prefix-caching \
  --host 0.0.0.0 --port "${PORT:-8000}"
