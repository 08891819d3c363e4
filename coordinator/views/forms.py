"""Forms of the foundation pages (Flask-WTF, so every one carries a CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class TokenForm(FlaskForm):
    """A name for a new API token."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=120)])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""
