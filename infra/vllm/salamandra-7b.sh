#!/usr/bin/env bash
# Salamandra-7b-instruct, bf16, one GPU (L40S 48 GB or larger), with per-domain LoRA adapters.
set -euo pipefail
MODEL_DIR=${MODEL_DIR:-/models/salamandra-7b-instruct}
ADAPTERS_DIR=${ADAPTERS_DIR:-/models/adapters}
loras=()
# the training registry layout (NAME/adapter/, `ventanilla train lora`) or a bare peft folder (NAME/)
for adapter in "$ADAPTERS_DIR"/*/; do
  name=$(basename "$adapter")
  if [ -f "$adapter/adapter/adapter_config.json" ]; then loras+=("$name=${adapter}adapter")
  elif [ -f "$adapter/adapter_config.json" ]; then loras+=("$name=$adapter"); fi
done
exec vllm serve "$MODEL_DIR" \
  --served-model-name salamandra-7b-instruct \
  --dtype bfloat16 --max-model-len 8192 --gpu-memory-utilization 0.90 --max-num-seqs 96 \
  --generation-config auto \
  --enable-lora --max-lora-rank 64 --max-loras 8 ${loras:+--lora-modules "${loras[@]}"} \
  --enable-prefix-caching \
  --host 0.0.0.0 --port "${PORT:-8000}"
