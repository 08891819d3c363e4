"""The contract's flask commands; each bootstrap command prints its secret last."""
from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the commands."""
    from flask_migrate import upgrade

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the schema by applying the migrations."""
        upgrade()
        click.echo("Database schema is up to date.")
