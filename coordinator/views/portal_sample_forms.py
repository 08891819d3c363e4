"""Forms of the host's sample pages: asking for a sample and the shipping address (moves are EmptyForm buttons)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coordinator.domain.samples import MAX_QUANTITY
from coordinator.schemas.common import MAX_INT32
from coordinator.views.forms import SafeForm


class SampleRequestForm(SafeForm):
    """Ask for a pairing's sample; the rules judge the quantity (1 to 20) and the pairing."""

    pairing_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_INT32)])
    # The id is bounded so a huge number never reaches the database; the service says what quantity is allowed.
    quantity = IntegerField(_l("Units"), default=1, validators=[Optional()],
                            render_kw={"min": 1, "max": MAX_QUANTITY, "inputmode": "numeric"})


class AddressForm(SafeForm):
    """Where the county sends the host's samples."""

    recipient = StringField(_l("Recipient"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=32)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    address = TextAreaField(_l("Full address"), validators=[DataRequired(), Length(max=300)],
                            description=_l("Province, city, county, street and number, as a courier needs it."),
                            render_kw={"autocomplete": "street-address", "rows": 3})
