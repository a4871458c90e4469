"""The reasoning language model: base LMs, the motion vocabulary, prompts, two-stage fine-tuning, inference."""
