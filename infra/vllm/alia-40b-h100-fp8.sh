#!/usr/bin/env bash
# ALIA-40b-instruct on H100 80 GB. Default: FP8 weights (online quantization) + FP8 KV cache on ONE GPU.
# TP=2 runs bf16 weights with tensor parallelism over two H100s instead.
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
if [ "${TP:-1}" = "2" ]; then precision=(--dtype bfloat16 --tensor-parallel-size 2)
else precision=(--dtype bfloat16 --quantization fp8 --kv-cache-dtype fp8); fi
exec vllm serve "$MODEL_DIR" \
  --served-model-name alia-40b-instruct \
  "${precision[@]}" --max-model-len 8192 --gpu-memory-utilization 0.90 --max-num-seqs 48 \
  --generation-config auto \
  --enable-lora --max-lora-rank 64 --max-loras 4 ${loras:+--lora-modules "${loras[@]}"} \
  --enable-prefix-caching \
  --host 0.0.0.0 --port "${PORT:-8000}"
