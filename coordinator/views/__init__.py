"""HTML pages: one blueprint per audience."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page blueprints."""
    from coordinator.views import account, auth, main

    app.register_blueprint(auth.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(account.bp)
