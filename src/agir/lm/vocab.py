"""A base causal LM with the motion vocabulary added: one token per motion code plus start/end markers,
new embedding rows initialised to the mean of the existing ones."""

from __future__ import annotations

from agir.errors import AgirError
from agir.lm.base import resolve_base_model
from agir.lm.prompts import motion_vocabulary


def load_base_with_motion(base_model: str, motion_codes: int, dtype: str = "float32"):  # noqa: ANN201
    """(model, tokenizer, new token ids) for ``base_model`` (alias, folder or id) with ``motion_codes`` codes."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = resolve_base_model(base_model)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype))
    except (OSError, ValueError) as exc:
        raise AgirError(f"cannot load base model '{base_model}' ({path}): {exc}") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    old_rows = model.get_input_embeddings().weight.shape[0]
    tokenizer.add_tokens(motion_vocabulary(motion_codes))
    new_ids = tokenizer.convert_tokens_to_ids(motion_vocabulary(motion_codes))
    model.resize_token_embeddings(len(tokenizer), pad_to_multiple_of=64, mean_resizing=False)
    with torch.no_grad():
        emb = model.get_input_embeddings().weight
        emb[old_rows:] = emb[:old_rows].mean(0)
        out = model.get_output_embeddings()
        if out is not None and out.weight.data_ptr() != emb.data_ptr():
            out.weight[old_rows:] = out.weight[:old_rows].mean(0)
    model.config.pad_token_id = tokenizer.pad_token_id
    return model, tokenizer, new_ids
