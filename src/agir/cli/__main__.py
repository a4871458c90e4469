"""``python -m agir.cli``."""

from agir.cli import app

app()
