"""The command-line edge: typer commands (commands.py and one module per group, listed in registry.py,
assembled in app.py, built one at a time by entry.py) and rich rendering (render.py). Nothing imports it."""
