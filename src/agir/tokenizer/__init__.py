"""The VQ-VAE motion tokenizer: walks <-> discrete motion tokens (needs torch)."""

from agir.tokenizer.config import TokenizerConfig
from agir.tokenizer.model import MotionTokenizer

__all__ = ["MotionTokenizer", "TokenizerConfig"]
