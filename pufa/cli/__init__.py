"""The command-line edge: typer commands (app.py) and rich rendering (render.py). Nothing imports it."""
