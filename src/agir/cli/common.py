"""Shared pieces of the command line: consoles, error exit, JSON output."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from agir.errors import AgirError

console = Console()
err_console = Console(stderr=True)

EXIT_BAD_INPUT = 1


def precision_option() -> str:
    """The ``--precision`` option of every command that runs the language model."""
    return typer.Option("auto", "--precision", help="LM inference precision: auto (bf16 where the hardware has it, else fp32), fp32, bf16.")


def fail(exc: AgirError) -> None:
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _json_default(obj: object) -> object:
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(data: object) -> str:
    """JSON text with NumPy values converted and floats rounded to 4 decimals."""
    def rounded(v: object) -> object:
        if isinstance(v, float):
            return round(v, 4)
        if isinstance(v, dict):
            return {k: rounded(x) for k, x in v.items()}
        if isinstance(v, list):
            return [rounded(x) for x in v]
        return v

    return json.dumps(rounded(json.loads(json.dumps(data, default=_json_default))), indent=2)
