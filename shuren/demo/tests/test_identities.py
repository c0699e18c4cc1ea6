"""Demo identities are well formed: GB 11643 ID numbers, 11-digit mobiles, Chinese names."""

import datetime as dt
import random
import re

from shuren.demo.identities import IdentityMaker
from shuren.people.identity import id_check_char, is_valid_id_number


def test_the_check_character_follows_gb_11643():
    # The standard's own example, whose check character is X.
    assert id_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("440602198501011239")
    assert not is_valid_id_number("440602198501011231")
    assert not is_valid_id_number("44060219850101123")


def test_a_person_has_a_foshan_id_number_matching_birthday_and_sex():
    maker = IdentityMaker(random.Random(1))
    for _ in range(200):
        who = maker.person(born_from=1950, born_to=2010)
        assert is_valid_id_number(who.id_number)
        assert who.id_number.startswith("4406")
        assert who.id_number[6:14] == f"{who.born:%Y%m%d}"
        assert int(who.id_number[16]) % 2 == (1 if who.male else 0)
        assert re.fullmatch(r"1[3-9]\d{9}", who.phone)
        assert 2 <= len(who.name) <= 3


def test_the_same_seed_gives_the_same_people():
    first = [IdentityMaker(random.Random(7)).person(born_from=1960, born_to=1990) for _ in range(3)]
    again = [IdentityMaker(random.Random(7)).person(born_from=1960, born_to=1990) for _ in range(3)]
    assert first == again


def test_phone_and_id_numbers_do_not_repeat_within_one_maker():
    maker = IdentityMaker(random.Random(3))
    people = [maker.person(born_from=1980, born_to=1980) for _ in range(2000)]
    assert len({p.phone for p in people}) == 2000
    assert len({p.id_number for p in people}) == 2000
    assert all(p.born.year == 1980 and p.born <= dt.date(1980, 12, 31) for p in people)
