"""Forms of the foundation pages (Flask-WTF, so every one carries a CSRF token), on a base that refuses text
with control, text-direction or zero-width characters in any field."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from coordinator.domain.text import UNSAFE_MESSAGE, unsafe_character


class SafeForm(FlaskForm):
    """A form whose text fields keep the same character rule as the API (a 422 there, an error beside the field
    here)."""

    def validate(self, extra_validators=None) -> bool:
        """The fields' own validators, then the character rule on every text field."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and unsafe_character(field.data) is not None:
                field.errors = [*field.errors, str(_l(UNSAFE_MESSAGE))]
                valid = False
        return valid


class LoginForm(SafeForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class TokenForm(SafeForm):
    """A name for a new API token."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=120)])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""
