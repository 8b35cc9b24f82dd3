"""LoRA supervised fine-tuning worker: runs in the environment that has torch, transformers and peft.

Started by `ventanilla train lora` as `python -P lora_worker.py train CONFIG.json` (on this machine the
interpreter of .venv-llm, next to vLLM; on a GPU node any environment with the `training` extra). It
imports nothing from the platform and reports progress as one JSON object per line on stdout, so the
same file trains the Gemma 3 270M on CPU and Salamandra-7b / ALIA-40b on GPUs (bf16, gradient
checkpointing, optional 4-bit QLoRA). `check` reloads a saved adapter, merges it and compares logits.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import torch
from peft import LoraConfig, PeftModel, get_peft_model, set_peft_model_state_dict
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM, AutoTokenizer

IGNORE = -100


def emit(**values: Any) -> None:
    sys.stdout.write(json.dumps(values) + "\n")
    sys.stdout.flush()


def encode(tokenizer: Any, messages: list[dict[str, str]], max_len: int) -> tuple[list[int], list[int]]:
    """Token ids and labels: the loss is on the assistant answer only; a long prompt is cut on the left."""
    prompt = tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True, tokenize=False)
    answer = messages[-1]["content"] + "<end_of_turn>\n"
    p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    a_ids = tokenizer(answer, add_special_tokens=False)["input_ids"]
    a_ids = a_ids[: max_len // 2] if len(a_ids) > max_len // 2 else a_ids
    keep = max_len - len(a_ids)
    p_ids = p_ids[-keep:] if keep > 0 else []
    return p_ids + a_ids, [IGNORE] * len(p_ids) + a_ids


def batches(
    rows: list[tuple[list[int], list[int]]], batch: int, packing: bool, max_len: int, pad: int, seed: int
) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    seqs = [rows[i] for i in order]
    if packing:  # concatenate examples into blocks of max_len tokens
        packed: list[tuple[list[int], list[int]]] = []
        ids: list[int] = []
        labels: list[int] = []
        for x, y in seqs:
            if ids and len(ids) + len(x) > max_len:
                packed.append((ids, labels))
                ids, labels = [], []
            ids, labels = ids + x, labels + y
        if ids:
            packed.append((ids, labels))
        seqs = packed
    out = []
    for start in range(0, len(seqs), batch):
        group = seqs[start : start + batch]
        width = max(len(x) for x, _ in group)
        ids_t = torch.full((len(group), width), pad, dtype=torch.long)
        lab_t = torch.full((len(group), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(group), width), dtype=torch.long)
        for row, (x, y) in enumerate(group):
            # unpacked rows are padded on the LEFT: every answer then ends the row, so the step only
            # needs the logits of the last positions (see answer_loss)
            span = slice(0, len(x)) if packing else slice(width - len(x), width)
            ids_t[row, span] = torch.tensor(x)
            lab_t[row, span] = torch.tensor(y)
            mask[row, span] = 1
        out.append((ids_t, lab_t, mask))
    return out


def answer_loss(model: Any, ids: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the answer tokens of left-padded rows, computing only their logits.

    The output layer of these models is large (Gemma 3 and Salamandra have ~256k-token vocabularies:
    it holds 60 % of the 270M model's parameters); projecting only the answer positions instead of
    the whole prompt makes a CPU step about twice as fast and saves the [batch, length, vocab] tensor.
    """
    answer = labels != IGNORE
    first = answer.float().argmax(dim=1)  # where each row's answer starts (it runs to the end)
    length = ids.shape[1]
    keep = int((length - first[answer.any(dim=1)]).max()) + 1 if bool(answer.any()) else 1
    keep = min(keep, length)
    positions = (mask.cumsum(dim=1) - 1).clamp(min=0)
    logits = model(input_ids=ids, attention_mask=mask, position_ids=positions, logits_to_keep=keep).logits
    targets = labels[:, length - keep + 1 :]
    return torch.nn.functional.cross_entropy(
        logits[:, :-1].float().reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=IGNORE
    )


def load_base(cfg: dict[str, Any]) -> Any:
    cuda = torch.cuda.is_available()
    dtype = torch.bfloat16 if cuda and cfg.get("bf16", True) else torch.float32
    kwargs: dict[str, Any] = {"dtype": dtype}
    if cfg.get("qlora"):
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16
        )
    if cuda:
        kwargs["device_map"] = "auto"
    model = AutoModelForCausalLM.from_pretrained(cfg["base"], **kwargs)
    if cfg.get("gradient_checkpointing") and cuda:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    return model


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def train(cfg: dict[str, Any]) -> None:
    torch.manual_seed(cfg["seed"])
    torch.set_num_threads(int(cfg.get("threads") or torch.get_num_threads()))
    out = Path(cfg["output"])
    tokenizer = AutoTokenizer.from_pretrained(cfg["base"])
    rows = [encode(tokenizer, r["messages"], cfg["max_len"]) for r in read_jsonl(Path(cfg["train_file"]))]
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    model = get_peft_model(
        load_base(cfg),
        LoraConfig(
            r=cfg["rank"],
            lora_alpha=cfg["alpha"],
            lora_dropout=cfg["dropout"],
            target_modules=cfg["target_modules"],
            task_type="CAUSAL_LM",
        ),
    )
    device = next(model.parameters()).device
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=cfg["lr"])
    steps = cfg["steps"]
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / max(1, cfg["warmup"])) * max(0.0, 1 - s / max(1, steps))
    )
    start_step = 0
    history: list[dict[str, float]] = []  # the whole run's, kept in the checkpoint across resumes
    ckpt = out / "checkpoint"
    if cfg.get("resume") and (ckpt / "state.pt").is_file():
        set_peft_model_state_dict(model, load_file(str(ckpt / "adapter_model.safetensors")))
        state = torch.load(ckpt / "state.pt", weights_only=False)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start_step = int(state["step"])
        history = [row for row in state.get("history", []) if row["step"] <= start_step]
    emit(event="start", steps=steps, start_step=start_step, examples=len(rows), trainable=trainable)
    per_epoch = len(batches(rows, cfg["batch"], cfg["packing"], cfg["max_len"], pad, cfg["seed"]))
    epoch_batches: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []
    model.train()
    tokens = 0
    began = time.perf_counter()
    for step in range(start_step, steps):
        epoch, position = divmod(step, per_epoch)
        if not epoch_batches or position == 0:  # a new shuffle per epoch, reproducible on resume
            epoch_batches = batches(
                rows, cfg["batch"], cfg["packing"], cfg["max_len"], pad, cfg["seed"] + epoch
            )
        ids, labels, mask = epoch_batches[position]
        t0 = time.perf_counter()
        ids, labels, mask = ids.to(device), labels.to(device), mask.to(device)
        if cfg["packing"]:
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        else:
            loss = answer_loss(model, ids, labels, mask)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        tokens += int(mask.sum())
        row = {"step": step + 1, "loss": float(loss.detach()), "seconds": time.perf_counter() - t0}
        history.append(row)
        emit(event="step", **row)
        if cfg["save_every"] and ((step + 1) % cfg["save_every"] == 0 or step + 1 == steps):
            model.save_pretrained(ckpt)
            torch.save(
                {
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "step": step + 1,
                    "history": history,
                },
                ckpt / "state.pt",
            )
    adapter = out / "adapter"
    model.save_pretrained(adapter)
    elapsed = time.perf_counter() - began
    summary = {
        "steps": steps,
        "resumed_from": start_step,  # this invocation ran steps resumed_from+1..steps
        "steps_run": steps - start_step,
        "seconds": elapsed,
        "seconds_per_step": elapsed / max(1, steps - start_step),
        "tokens_per_s": tokens / elapsed if elapsed else 0.0,
        "trainable_parameters": trainable,
        "first_loss": history[0]["loss"] if history else None,  # of the whole run, resumes included
        "last_loss": history[-1]["loss"] if history else None,
        "device": str(device),
    }
    (out / "train_log.json").write_text(json.dumps({"summary": summary, "history": history}, indent=1))
    emit(event="done", adapter=str(adapter), **summary)


def check(base: str, adapter: str, merged_dir: str | None) -> None:
    """Reload the adapter, merge it, and compare logits: base vs adapter vs merged."""
    tokenizer = AutoTokenizer.from_pretrained(base)
    ids = tokenizer("El plazo de prescripción es de cuatro años.", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        plain = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
        base_logits = plain(ids).logits
        tuned = PeftModel.from_pretrained(plain, adapter)
        lora_logits = tuned(ids).logits
        merged = tuned.merge_and_unload()
        merged_logits = merged(ids).logits
    if merged_dir:
        merged.save_pretrained(merged_dir)
    emit(
        event="check",
        adapter_vs_base=float((lora_logits - base_logits).abs().max()),
        merged_vs_adapter=float((merged_logits - lora_logits).abs().max()),
    )


if __name__ == "__main__":
    if sys.argv[1] == "train":
        train(json.loads(Path(sys.argv[2]).read_text()))
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
