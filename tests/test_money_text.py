"""Money as people write it (parse_money_text) and read it (format_yuan)."""

from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elevator.core.errors import ProjectError
from elevator.core.money_text import format_yuan, group_amounts, group_digits, parse_money_text

WAN = "\u4e07"  # 万
YUAN = "\u5143"  # 元


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("56" + WAN, F(560000)),
        ("5.6" + WAN + YUAN, F(56000)),
        ("560,000", F(560000)),
        ("560000.50", F(56000050, 100)),
        ("56 " + WAN, F(560000)),
        ("\uff15\uff16" + WAN, F(560000)),  # full-width ５６万
        (
            "\uff11\uff12\uff0c\uff13\uff14\uff15\uff0e\uff16\uff17",
            F(1234567, 100),
        ),  # １２，３４５．６７
        ("1,234,567.89", F(123456789, 100)),
        ("0.01" + WAN, F(100)),
        ("0.0001" + WAN, F(1)),
        ("12.34" + YUAN, F(1234, 100)),
        ("\uffe51,200", F(1200)),  # ￥1,200
        ("-3.5", F(-7, 2)),
        ("  800  ", F(800)),
    ],
)
def test_reads_what_people_write(text, value):
    assert parse_money_text(text) == value


@pytest.mark.parametrize(
    ("text", "key_words"),
    [
        ("", "enter an amount"),
        ("   ", "enter an amount"),
        ("abc", "is not an amount"),
        ("56" + WAN + WAN, "is not an amount"),
        ("1/3", "is not an amount"),
        (WAN, "is not an amount"),
        ("5,60,000", "thousands separators"),
        ("560,00", "thousands separators"),
        ("1.234", "whole fen"),
        ("0.0000001" + WAN, "whole fen"),
        ("1e5", "is not an amount"),
    ],
)
def test_refuses_anything_else_naming_the_field(text, key_words):
    with pytest.raises(ProjectError) as err:
        parse_money_text(text, field="costs.total")
    (p,) = err.value.problems
    assert p.field == "costs.total"
    assert key_words in p.en
    assert p.zh and p.zh != p.en


def test_refuses_what_is_not_text():
    with pytest.raises(ProjectError):
        parse_money_text(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "grouped", "plain"),
    [
        (F(560000), "560,000.00", "560000.00"),
        (F(-12345, 10), "-1,234.50", "-1234.50"),
        (F(5), "5.00", "5.00"),
        (F(999), "999.00", "999.00"),
        (F(1000), "1,000.00", "1000.00"),
        (F(123456789012, 100), "1,234,567,890.12", "1234567890.12"),
        (F(0), "0.00", "0.00"),
    ],
)
def test_format_yuan(amount, grouped, plain):
    assert format_yuan(amount) == grouped
    assert format_yuan(amount, grouping=False) == plain


def test_group_digits():
    assert group_digits("1") == "1"
    assert group_digits("123") == "123"
    assert group_digits("1234") == "1,234"
    assert group_digits("123456") == "123,456"


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_round_trip_through_text(fen):
    amount = F(fen, 100)
    assert parse_money_text(format_yuan(amount)) == amount
    assert parse_money_text(format_yuan(amount, grouping=False)) == amount
    assert parse_money_text(format_yuan(amount) + YUAN) == amount


@given(st.integers(min_value=0, max_value=10**10))
def test_wan_is_ten_thousand(fen):
    """Any whole-fen amount written in 万 (up to six decimals) reads back exactly."""
    amount = F(fen, 100)
    wan = amount / 10000
    text = format(wan.numerator * 10**6 // wan.denominator, "d").rjust(7, "0")
    written = f"{text[:-6]}.{text[-6:]}{WAN}"
    assert parse_money_text(written) == amount


@pytest.mark.parametrize(
    "text, shown",
    [
        (
            "固定费用 380000.00 + 每层 30000.00 × (6 − 1)",
            "固定费用 380,000.00 + 每层 30,000.00 × (6 − 1)",
        ),
        ("每部 100000.00 元", "每部 100,000.00 元"),
        ("-1234567.50", "-1,234,567.50"),
        ("999.00 元", "999.00 元"),  # under a thousand: nothing to group
        ("2019.12.31", "2019.12.31"),  # a date
        ("12345.678", "12345.678"),  # not money (three decimals)
        ("1/3 × 2400.00", "1/3 × 2,400.00"),
        ("4/12345.00", "4/12345.00"),  # part of a fraction
        ("第 2020 号", "第 2020 号"),  # a number without decimals
    ],
)
def test_group_amounts_in_sentences(text, shown):
    assert group_amounts(text) == shown
