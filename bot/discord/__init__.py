"""The Discord layer: a thin bot whose cogs call the plain services in bot/ (see client.py)."""
