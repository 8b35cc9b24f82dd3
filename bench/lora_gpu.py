"""LoRA training throughput and peak memory at the real Salamandra-7b / ALIA-40b shapes (GPU only).

The models are built from their published configurations with random weights (no download): the
step cost and memory of LoRA depend on the shapes, not on the weights. Each step is the worker's own
(`platform/ventanilla/training/lora_worker.py`: left-padded rows, loss on the answer tokens only,
bf16, gradient checkpointing), so the figures describe `ventanilla train lora` on that GPU.

    python bench/lora_gpu.py                      # salamandra-7b, then alia-40b if it fits
    python bench/lora_gpu.py --model alia-40b --seq 4096 --batch 1 --steps 6 --json out.json
    python bench/lora_gpu.py --model tiny --allow-cpu   # smoke check of this script on a CPU

Without a CUDA device it says so and exits 0 (tests and CI never need a GPU). Runs in any environment
with torch, transformers and peft (here .venv-llm; the GPU machine has them preinstalled).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, LlamaConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform" / "ventanilla" / "training"))
from lora_worker import IGNORE, answer_loss

# Published configurations (Hugging Face model cards / config.json of BSC-LT/salamandra-7b-instruct
# and BSC-LT/ALIA-40b): both are Llama-architecture decoders with a 256k-token vocabulary.
SHAPES: dict[str, dict[str, Any]] = {
    "salamandra-7b": {
        "hidden_size": 4096,
        "intermediate_size": 11008,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "vocab_size": 256000,
        "max_position_embeddings": 8192,
        "tie_word_embeddings": False,
    },
    "alia-40b": {  # 40,433,885,184 parameters with these values, as the model card states
        "hidden_size": 8192,
        "intermediate_size": 24576,
        "num_hidden_layers": 48,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
        "vocab_size": 256000,
        "max_position_embeddings": 32768,
        "tie_word_embeddings": False,
    },
    "tiny": {  # smoke check only
        "hidden_size": 128,
        "intermediate_size": 256,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "vocab_size": 4096,
        "max_position_embeddings": 1024,
        "tie_word_embeddings": False,
    },
}
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def bench(name: str, seq: int, batch: int, steps: int, answer: int, rank: int, device: str) -> dict[str, Any]:
    torch.manual_seed(0)
    cuda = device == "cuda"
    dtype = torch.bfloat16 if cuda else torch.float32
    config = LlamaConfig(**SHAPES[name], attn_implementation="sdpa")
    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    began = time.perf_counter()
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    built_s = time.perf_counter() - began
    parameters = sum(p.numel() for p in model.parameters())
    if cuda:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    model = get_peft_model(
        model, LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.05, target_modules=TARGETS)
    )
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    ids = torch.randint(0, config.vocab_size, (batch, seq), device=device)
    labels = torch.full_like(ids, IGNORE)
    labels[:, -answer:] = ids[:, -answer:]  # the loss on the answer, as the worker trains
    mask = torch.ones_like(ids)
    model.train()
    times: list[float] = []
    losses: list[float] = []
    for _ in range(steps):
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        loss = answer_loss(model, ids, labels, mask)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
        losses.append(float(loss.detach()))
    timed = times[1:] or times  # the first step includes kernel selection and allocator warm-up
    per_step = sum(timed) / len(timed)
    result = {
        "model": name,
        "device": torch.cuda.get_device_name() if cuda else "cpu",
        "parameters": parameters,
        "trainable_parameters": trainable,
        "dtype": str(dtype).removeprefix("torch."),
        "batch": batch,
        "seq": seq,
        "answer_tokens": answer,
        "rank": rank,
        "steps": steps,
        "build_s": round(built_s, 1),
        "first_step_s": round(times[0], 3),
        "seconds_per_step": round(per_step, 3),
        "tokens_per_s": round(batch * seq / per_step, 1),
        "peak_memory_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "losses": [round(x, 3) for x in losses],
    }
    del model, optimizer
    if cuda:
        torch.cuda.empty_cache()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", choices=[*SHAPES, "all"], default="all")
    parser.add_argument("--seq", type=int, default=4096, help="tokens per sequence")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--answer", type=int, default=256, help="answer tokens per sequence (the loss)")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--allow-cpu", action="store_true", help="run on CPU (only sensible with tiny)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu" and not args.allow_cpu:
        print("no CUDA device: this benchmark needs a GPU (use --model tiny --allow-cpu to smoke-test it)")
        return 0
    names = ["salamandra-7b", "alia-40b"] if args.model == "all" else [args.model]
    results: list[dict[str, Any]] = []
    for name in names:
        try:
            results.append(bench(name, args.seq, args.batch, args.steps, args.answer, args.rank, device))
        except torch.OutOfMemoryError as exc:
            results.append(
                {"model": name, "seq": args.seq, "batch": args.batch, "error": f"out of memory: {exc}"}
            )
            torch.cuda.empty_cache()
        print(json.dumps(results[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
