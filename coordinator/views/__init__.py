"""HTML pages: one blueprint per audience."""
from __future__ import annotations

import json

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page blueprints."""
    # noqa below: the planning_* modules add routes to planning.bp, deliveries to channels.bp
    from coordinator.views import (  # noqa: F401
        account, auth, channels, deliveries, login_links, main, planning, planning_campaigns, planning_catalog,
        planning_imports, planning_keys, planning_pairings, planning_sessions, portal, portal_samples,
        reconcile_pages, results_pages, sample_board_pages, sample_sheet_pages, screen,
    )

    from flask_babel import get_locale

    from coordinator.assets import static_url
    from coordinator.domain.portal import picture_path
    from coordinator.i18n import (
        carrier_name, category_name, channel_kind_name, event_name, platform_name, sample_status_name, status_name,
    )

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["platform"] = platform_name
    app.jinja_env.filters["category"] = category_name
    app.jinja_env.filters["event_name"] = event_name
    app.jinja_env.filters["channel_kind"] = channel_kind_name
    app.jinja_env.filters["sample_status"] = sample_status_name
    app.jinja_env.filters["status_name"] = status_name
    app.jinja_env.filters["carrier"] = carrier_name
    # Audit values as people typed them (Chinese names readable, not \uXXXX); autoescaped like any text.
    app.jinja_env.filters["plain_json"] = lambda value: json.dumps(value, ensure_ascii=False)
    # The drawings are static files: their URL carries the content hash like every url_for("static").
    app.jinja_env.filters["picture"] = lambda product: static_url(picture_path(product.category, product.image_url))
    app.register_blueprint(auth.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(planning.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(screen.bp)
    app.register_blueprint(channels.bp)
    app.register_blueprint(reconcile_pages.bp)
