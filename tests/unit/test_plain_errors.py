"""Pydantic's errors as translatable message ids with their values, and pydantic's own words where there is none."""
from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from coordinator.domain.plain_errors import plain_error, render


class Row(BaseModel):
    stock: int = Field(ge=0)
    name: str = Field(max_length=4)
    platform: Literal["taobao", "douyin"] = "taobao"
    note: str = ""

    @field_validator("note")
    @classmethod
    def no_percent(cls, value: str) -> str:
        if "%" in value:
            raise ValueError("100% is not a note")
        return value


def first_error(**values) -> dict:
    with pytest.raises(ValidationError) as caught:
        Row.model_validate({"stock": 1, "name": "茶", **values})
    return caught.value.errors(include_url=False)[0]


@pytest.mark.parametrize("values, message, filled", [
    ({"stock": -3}, "must be at least %(limit)s", "must be at least 0"),
    ({"stock": "五"}, "must be a whole number", "must be a whole number"),
    ({"name": "宜君玉米糁礼盒"}, "at most %(limit)s characters", "at most 4 characters"),
    ({"platform": "weibo"}, "must be one of %(choices)s", "must be one of 'taobao' or 'douyin'"),
])
def test_known_errors_become_message_ids_with_values(values, message, filled):
    got, context = plain_error(first_error(**values))
    assert got == message and render(got, context) == filled


def test_a_missing_value_is_required():
    with pytest.raises(ValidationError) as caught:
        Row.model_validate({"name": "茶"})
    assert plain_error(caught.value.errors(include_url=False)[0]) == ("required", {})


def test_a_validators_own_words_are_kept_without_pydantics_prefix():
    assert plain_error(first_error(note="100%")) == ("100% is not a note", {})
