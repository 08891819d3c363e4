"""Forms of the planning pages; times typed in the coordinator's zone, money in yuan."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField, DateField, DateTimeLocalField, DecimalField, IntegerField, SelectField, SelectMultipleField,
    StringField, TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from coordinator.domain.catalog import SELF_EDITABLE
from coordinator.domain.cells import to_list, to_windows
from coordinator.domain.errors import FieldError, InvalidInput
from coordinator.i18n import PLATFORM_NAMES
from coordinator.schemas.common import MAX_FEN, MAX_INT32
from coordinator.views.forms import SafeForm as FlaskForm

SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
HANDLE_PATTERN = r"^[A-Za-z0-9_.\-]{2,64}$"
PLATFORMS = list(PLATFORM_NAMES.items())
MAX_YUAN = MAX_FEN // 100


class CountyForm(FlaskForm):
    """A county."""

    name = StringField(_l("County"), validators=[DataRequired(), Length(max=120)])
    province = StringField(_l("Province"), validators=[DataRequired(), Length(max=120)])
    story = TextAreaField(_l("The county's story"), validators=[Length(max=5000)])


class ProductForm(FlaskForm):
    """A product with its harvest window, origin and selling points."""

    county_id = SelectField(_l("County"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    sku = StringField(_l("SKU"), validators=[DataRequired(), Regexp(SKU_PATTERN, message=_l("Letters, digits, '.', '_' or '-'"))])
    category = StringField(_l("Category"), validators=[DataRequired(), Length(max=64)])
    price_yuan = DecimalField(_l("Price (yuan)"), places=2, validators=[InputRequired(), NumberRange(min=0, max=MAX_YUAN)])
    stock = IntegerField(_l("Stock"), validators=[InputRequired(), NumberRange(min=0, max=MAX_INT32)])
    unit = StringField(_l("Unit"), default="件", validators=[DataRequired(), Length(max=32)])
    is_agricultural = BooleanField(_l("Agricultural product"), default=True)
    available_from = DateField(_l("Harvest window from"), validators=[Optional()])
    available_to = DateField(_l("Harvest window to"), validators=[Optional()])
    shipping_origin = StringField(_l("Ships from"), validators=[Length(max=200)])
    selling_points = TextAreaField(_l("Selling points (one per line)"), validators=[Length(max=5000)])
    image_url = StringField(_l("Picture URL"), validators=[Optional(), Length(max=500)])


class StreamerForm(FlaskForm):
    """A streamer with weekly availability written as text."""

    handle = StringField(_l("Handle"), validators=[DataRequired(), Regexp(HANDLE_PATTERN, message=_l("2 to 64 letters, digits, '.', '_' or '-'"))])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    platform = SelectField(_l("Platform"), choices=PLATFORMS)
    followers = IntegerField(_l("Followers"), validators=[InputRequired(), NumberRange(min=0, max=MAX_INT32)])
    categories = StringField(_l("Categories (comma separated)"), validators=[DataRequired(), Length(max=500)])
    region = StringField(_l("Region"), validators=[Length(max=120)])
    availability = TextAreaField(_l("Weekly availability"), validators=[Length(max=2000)],
                                 description=_l("For example: 周五 19:00-24:00; Sat 20:00-23:00"))
    bio = TextAreaField(_l("About"), validators=[Length(max=2000)])


# What a host keeps up to date themself: the streamer form without the fields outside SELF_EDITABLE, so that
# rule is written once (the service enforces it for the API too).
ProfileForm = type("ProfileForm", (StreamerForm,), {
    "__doc__": "The streamer form as a host sees it on their own profile.",
    **{name: None for name, value in vars(StreamerForm).items()
       if isinstance(value, UnboundField) and name not in SELF_EDITABLE}})


def streamer_changes(form: StreamerForm) -> tuple[dict, list[tuple[int, int, int]]]:
    """The streamer fields a form carries, cleaned, and its weekly windows (InvalidInput on a bad window)."""
    try:
        windows = to_windows(form.availability.data) if (form.availability.data or "").strip() else []
    except ValueError as exc:
        raise InvalidInput(str(exc), [FieldError(str(exc), field="availability")]) from exc
    data = {"display_name": form.display_name.data.strip(), "platform": form.platform.data,
            "categories": to_list(form.categories.data, tags=True), "region": (form.region.data or "").strip(),
            "bio": (form.bio.data or "").strip()}
    if getattr(form, "handle", None) is not None:
        data.update(handle=form.handle.data.strip(), followers=form.followers.data)
    return data, windows


class CampaignForm(FlaskForm):
    """A campaign's window and rules."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[InputRequired()])
    min_agri_products_per_session = IntegerField(_l("Minimum agricultural products per session"), default=1,
                                                 validators=[InputRequired(), NumberRange(min=0, max=50)])
    max_products_per_session = IntegerField(_l("Maximum products per session"), default=5,
                                            validators=[InputRequired(), NumberRange(min=1, max=50)])
    target_yuan = DecimalField(_l("Sales target (yuan)"), places=2,
                              validators=[Optional(), NumberRange(min=0, max=MAX_YUAN)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class EnrolForm(FlaskForm):
    """Pick one thing to enrol."""

    item_id = SelectField(_l("Add"), coerce=int, validators=[InputRequired()])


class MemberForm(FlaskForm):
    """A commissioner to put on a campaign's team, and their role."""

    user_id = SelectField(_l("Commissioner"), coerce=int, validators=[InputRequired()])
    role = SelectField(_l("Role"), choices=[("editor", _l("Editor: changes the campaign")),
                                            ("viewer", _l("Viewer: reads it"))], validators=[DataRequired()])


class KeyForm(FlaskForm):
    """A new ingest key: the platform's name and the campaigns it posts sales for."""

    name = StringField(_l("Platform name"), validators=[DataRequired(), Length(max=120)])
    # The service decides which campaigns the caller may name (403 for others), not the list of choices.
    campaign_ids = SelectMultipleField(_l("Campaigns it posts sales for"), coerce=int, validate_choice=False)
    every_campaign = BooleanField(_l("Every campaign (admins only)"))


class CountyAssignForm(FlaskForm):
    """A commissioner to assign to a county."""

    user_id = SelectField(_l("Commissioner"), coerce=int, validators=[InputRequired()])


class ImportForm(FlaskForm):
    """A spreadsheet to preview."""

    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[
        FileRequired(), FileAllowed(["xlsx", "csv"], _l("Upload a .xlsx or .csv file."))])


class ConfirmImportForm(FlaskForm):
    """What to do with a previewed spreadsheet."""

    upload_id = StringField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    mode = SelectField(choices=[("valid_rows", ""), ("all_or_nothing", "")], validators=[DataRequired()])
