"""Language choice: the header switch wins, then the user's saved choice, then Accept-Language."""
from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"zh_Hans": "中文", "en": "English"}


def select_locale() -> str:
    """The locale for this request, one of LANGUAGES."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    if best and best.lower().startswith("en"):
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Pages show times in the coordinator's configured zone."""
    return current_app.config["COORDINATOR_TIMEZONE"]
