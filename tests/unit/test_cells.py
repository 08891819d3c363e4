"""Numbers typed into spreadsheet cells: a strict pattern first, so no cell can make the import slow or crash."""
from __future__ import annotations

import time

import pytest

from coordinator.domain.cells import to_int, yuan_to_fen

WHOLE = "expected a whole number"
YUAN = "expected an amount in yuan, e.g. 5.80"
# Each hostile value is refused in well under this; before the patterns, 1e999999 alone took 26 s.
# This thread's CPU time, not the wall clock: other processes on a loaded machine must not fail the test, while
# a pathological parse (an int of a billion digits) costs seconds of CPU.
FAST_S = 0.05


@pytest.mark.parametrize("typed,number", [
    (12, 12), ("12", 12), (" 12 ", 12), ("1,200", 1200), ("1,234,567", 1234567), ("52万", 520_000),
    ("5.2万", 52_000), ("1.2345万", 12_345), ("12.0", 12), ("12.000", 12), (12.0, 12), ("+5", 5), ("-3", -3),
    ("１２", 12), ("１，２００", 1200), ("999999999999999", 999_999_999_999_999), (10**14, 10**14),
])
def test_whole_numbers_as_people_type_them(typed, number):
    assert to_int(typed) == number


@pytest.mark.parametrize("typed", [
    "1e999999999", "1e999999", "-1e999999999", "1e5", "1E5", "0x10", "0b1", "0o7", "nan", "NaN", "inf", "-inf",
    "Infinity", "--1", "+-1", "1_000", "1,2,3", "1,20", "12,0000", "12.5", "12.", ".5", "1.2.3", "١٢", "²", "①",
    "9" * 16, pytest.param("1" * 5000, id="5000 ones"), "1e9999万", "52万万", "1.23456万", "12 34", "", "-", "五", True, float("inf"),
    float("-inf"), float("nan"), 1e300, 1e15, 12.5, 10**15, -(10**30), pytest.param(10**5000, id="10**5000"),
])
def test_anything_else_is_not_a_whole_number_and_is_refused_fast(typed):
    started = time.thread_time()
    with pytest.raises(ValueError) as refused:
        to_int(typed)
    assert str(refused.value) == WHOLE
    assert time.thread_time() - started < FAST_S


@pytest.mark.parametrize("typed,fen", [
    ("5.80", 580), ("5.8", 580), ("¥5.8", 580), ("￥5.80", 580), ("¥ 5.8", 580), (5.8, 580), (5, 500),
    ("1,299.00", 129_900), ("5.800", 580), ("0.01", 1), ("５．８", 580), ("-3", -300), (69.9, 6990),
])
def test_amounts_in_yuan_as_people_type_them(typed, fen):
    assert yuan_to_fen(typed) == fen


@pytest.mark.parametrize("typed", [
    "1e999999999", "1e5", "0x10", "nan", "inf", "Infinity", "--1", "五元", "5.8.1", "5,80", "¥¥5", "5元", "1e-2",
    "9" * 16, pytest.param("1" * 5000, id="5000 ones"), "١٢", True, float("inf"), float("nan"), 1e300, 10**15,
])
def test_anything_else_is_not_an_amount_and_is_refused_fast(typed):
    started = time.thread_time()
    with pytest.raises(ValueError) as refused:
        yuan_to_fen(typed)
    assert str(refused.value) == YUAN
    assert time.thread_time() - started < FAST_S


@pytest.mark.parametrize("typed", ["5.805", "0.001", 0.1 + 0.2, "5." + "1" * 30])
def test_fractions_of_a_fen_are_refused(typed):
    with pytest.raises(ValueError, match="at most two decimal places"):
        yuan_to_fen(typed)
