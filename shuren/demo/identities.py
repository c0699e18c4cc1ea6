"""Made-up but well-formed identities for the demo: Chinese names, mobile numbers, ID numbers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from shuren.people.identity import id_check_char

# Surnames weighted roughly as they occur in Foshan (Cantonese surnames such as 区, 麦, 冼 and
# 霍 are common here and rare elsewhere).
SURNAMES = (
    ("陈", 14),
    ("梁", 9),
    ("黄", 9),
    ("李", 8),
    ("何", 6),
    ("罗", 4),
    ("冯", 4),
    ("林", 4),
    ("张", 4),
    ("王", 3),
    ("刘", 3),
    ("吴", 3),
    ("邓", 3),
    ("麦", 3),
    ("区", 2),
    ("潘", 2),
    ("关", 2),
    ("谭", 2),
    ("卢", 2),
    ("伍", 2),
    ("钟", 2),
    ("霍", 2),
    ("冼", 2),
    ("郭", 2),
    ("杨", 2),
    ("周", 2),
    ("苏", 2),
    ("叶", 2),
    ("简", 1),
    ("彭", 1),
    ("曾", 1),
    ("赵", 1),
    ("徐", 1),
    ("朱", 1),
    ("胡", 1),
    ("莫", 1),
    ("岑", 1),
    ("招", 1),
)
_SURNAME_CHARS = [s for s, _ in SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in SURNAMES]

GIVEN_MALE = "伟强军华明建国志勇杰俊峰斌辉涛浩宇鹏锦荣汉桂森德文永健家耀振伟嘉铭坚炳灿基"
GIVEN_FEMALE = "秀英丽玲芳敏静婷娟燕霞慧琳淑华美凤萍红艳洁雪莉颖欣妍佩琼桂兰嘉宝翠银"

# 县级 area codes of Foshan (4406xx): 禅城, 南海, 顺德, 三水, 高明; most demo residents are
# registered in 南海区, where Guicheng lies.
FOSHAN_AREAS = (("440605", 6), ("440604", 2), ("440606", 2), ("440607", 1), ("440608", 1))
_AREA_CODES = [a for a, _ in FOSHAN_AREAS]
_AREA_WEIGHTS = [w for _, w in FOSHAN_AREAS]


@dataclass(frozen=True)
class Identity:
    name: str
    male: bool
    born: dt.date
    phone: str
    id_number: str


class IdentityMaker:
    """Draws names, numbers and birthdays from one seeded generator, so every run is the same.

    Phone and ID numbers are unique within one maker.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._phones: set[str] = set()
        self._ids: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(_SURNAME_CHARS, _SURNAME_WEIGHTS)[0]

    def given_name(self, male: bool) -> str:
        chars = GIVEN_MALE if male else GIVEN_FEMALE
        length = 1 if self.rng.random() < 0.3 else 2
        return "".join(self.rng.choice(chars) for _ in range(length))

    def phone(self) -> str:
        while True:
            number = "1" + self.rng.choice("3456789") + f"{self.rng.randrange(10**9):09d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def id_number(self, born: dt.date, male: bool) -> str:
        area = self.rng.choices(_AREA_CODES, _AREA_WEIGHTS)[0]
        while True:
            # The 17th digit is odd for men and even for women.
            sequence = self.rng.randrange(50) * 20 + self.rng.randrange(5) * 2 + (1 if male else 0)
            first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_char(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def birthday(self, first_year: int, last_year: int) -> dt.date:
        year = self.rng.randint(first_year, last_year)
        day_of_year = self.rng.randrange(365)
        return dt.date(year, 1, 1) + dt.timedelta(days=day_of_year)

    def person(
        self,
        *,
        born_from: int,
        born_to: int,
        surname: str | None = None,
        male: bool | None = None,
        with_phone: bool = True,
    ) -> Identity:
        male = self.rng.random() < 0.5 if male is None else male
        born = self.birthday(born_from, born_to)
        return Identity(
            name=(surname or self.surname()) + self.given_name(male),
            male=male,
            born=born,
            phone=self.phone() if with_phone else "",
            id_number=self.id_number(born, male),
        )
