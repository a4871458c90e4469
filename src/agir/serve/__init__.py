"""``agir serve``: the web app and its JSON API (FastAPI), one shared model, batched inference."""
