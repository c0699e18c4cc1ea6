"""Masking keeps just enough to recognise a number and never the whole of it."""

from hypothesis import given
from hypothesis import strategies as st

from shuren.access.masking import mask_id_number, mask_phone


def test_phone_is_masked_like_138_stars_5678():
    assert mask_phone("13812345678") == "138****5678"


def test_id_number_is_masked_like_4406_stars_123x():
    assert mask_id_number("44060219580303123X") == "4406**********123X"


def test_empty_values_stay_empty():
    assert mask_phone("") == ""
    assert mask_id_number("") == ""


@given(st.text(alphabet="0123456789-", min_size=8, max_size=20))
def test_a_masked_phone_shows_only_the_first_three_and_last_four(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert masked[:3] == phone[:3]
    assert masked[-4:] == phone[-4:]
    assert set(masked[3:-4]) <= {"*"}


@given(st.text(alphabet="0123456789X", min_size=9, max_size=18))
def test_a_masked_id_number_shows_at_most_eight_characters(id_number):
    masked = mask_id_number(id_number)
    assert len(masked) == len(id_number)
    assert sum(ch != "*" for ch in masked) == 8
