from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elevator.core.money import money_str, round_to_total, to_fraction

FEN = F(1, 100)


def test_to_fraction_reads_decimal_text_exactly():
    assert to_fraction(0.3) == F(3, 10)
    assert to_fraction("12.5") == F(25, 2)
    assert to_fraction("37037/3") == F(37037, 3)
    assert to_fraction(7) == 7
    with pytest.raises(TypeError):
        to_fraction(True)


def test_money_str():
    assert money_str(F(1234567, 100)) == "12345.67"
    assert money_str(F(-5000)) == "-5000.00"
    assert money_str(F(1, 3)) == "0.33"


def test_largest_remainder_closes_and_prefers_largest_remainders():
    exact = {"a": F(10, 3), "b": F(10, 3), "c": F(10, 3)}
    out = round_to_total(exact, FEN)
    assert sum(out.rounded.values()) == 10
    # all remainders equal: tie-break by exact share then order -> first household gets the fen
    assert out.rounded == {"a": F(334, 100), "b": F(333, 100), "c": F(333, 100)}
    assert out.odd_to is None


def test_odd_remainder_is_reported_when_total_is_not_a_multiple_of_the_unit():
    exact = {"a": F(50025, 100), "b": F(50025, 100)}  # 1000.50 to share, rounded to yuan
    out = round_to_total(exact, F(1))
    assert sum(out.rounded.values()) == F(100050, 100)
    assert out.odd_amount == F(1, 2) and out.odd_to == "a"


def test_negative_shares_round_and_close():
    exact = {"a": F(-5000), "b": F(-10001, 3), "c": F(40001, 3)}
    out = round_to_total(exact, FEN)
    assert sum(out.rounded.values()) == sum(exact.values())
    assert out.rounded["b"] == F(-333367, 100)


@given(
    st.lists(
        st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=997),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([F(1, 100), F(1, 10), F(1), F(10)]),
)
def test_rounding_always_closes_and_moves_each_amount_less_than_one_unit(values, unit):
    exact = {str(i): v for i, v in enumerate(values)}
    out = round_to_total(exact, unit)
    assert sum(out.rounded.values()) == sum(values)
    for k, v in exact.items():
        extra = out.odd_amount if k == out.odd_to else 0
        assert abs(out.rounded[k] - extra - v) < unit
        assert ((out.rounded[k] - extra) / unit).denominator == 1
