"""`ventanilla train lora`: LoRA supervised fine-tuning of the answer model on a domain dataset.

The platform process builds the run configuration and starts `lora_worker.py` in the environment that
has torch + transformers + peft (here `.venv-llm`, shared with vLLM CPU; on GPU nodes the `training`
extra), reading its JSON progress lines. The defaults suit the Gemma 3 270M on 2 CPU cores; the GPU
recipe for Salamandra-7b / ALIA-40b is in docs/training.md.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

WORKER = Path(__file__).with_name("lora_worker.py")
# Attention and MLP projections: the same names in Gemma 3, Llama (Salamandra) and ALIA-40b.
DEFAULT_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class LoraSettings(BaseModel):
    """Hyperparameters of one run (all recorded in the adapter manifest)."""

    base: str
    train_file: str
    output: str
    steps: int = Field(default=60, ge=1)
    batch: int = Field(default=2, ge=1)
    rank: int = Field(default=16, ge=1)
    alpha: int = Field(default=32, ge=1)
    dropout: float = Field(default=0.05, ge=0, lt=1)
    target_modules: list[str] = Field(default_factory=lambda: list(DEFAULT_TARGETS))
    lr: float = Field(default=2e-4, gt=0)
    warmup: int = Field(default=5, ge=0)
    max_len: int = Field(default=1024, ge=32)
    packing: bool = False
    save_every: int = Field(default=20, ge=0)
    resume: bool = True
    seed: int = 13
    threads: int | None = None
    bf16: bool = True  # GPU only; CPU trains in fp32
    gradient_checkpointing: bool = True  # GPU only (it slows CPU runs for no gain at 270M)
    qlora: bool = False  # 4-bit NF4 base (bitsandbytes, GPU only)


def run_worker(python: Path, settings: LoraSettings) -> Iterator[dict[str, Any]]:
    """Start the worker and yield its events; raise RuntimeError with its stderr tail if it fails."""
    out = Path(settings.output)
    out.mkdir(parents=True, exist_ok=True)
    config = out / "run_config.json"
    config.write_text(settings.model_dump_json(indent=1), encoding="utf-8")
    log = out / "worker.log"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [str(python), "-P", str(WORKER), "train", str(config)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                if line.startswith("{"):
                    yield json.loads(line)
        finally:
            if proc.poll() is None:
                proc.terminate()
            code = proc.wait()
    if code != 0:
        tail = log.read_text(encoding="utf-8")[-2000:]
        raise RuntimeError(f"LoRA worker failed (exit {code}):\n{tail}")


def check_adapter(python: Path, base: str, adapter: Path, merged: Path | None = None) -> dict[str, Any]:
    """Reload + merge the adapter in the worker environment; logit differences as a dict."""
    cmd = [str(python), "-P", str(WORKER), "check", base, str(adapter)] + ([str(merged)] if merged else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def train_lora(
    python: Path, settings: LoraSettings, on_event: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """Run the whole training; return the worker's final summary."""
    summary: dict[str, Any] = {}
    for event in run_worker(python, settings):
        if on_event:
            on_event(event)
        if event.get("event") == "done":
            summary = event
    return summary
