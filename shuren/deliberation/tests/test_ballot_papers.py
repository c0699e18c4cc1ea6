"""A paper ballot comes in with its scan, a proxy's with the written authorisation: PDF, JPEG or
PNG by their own bytes, at most 10 MB; a refusal writes neither the ballot nor a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shuren.deliberation.actions import call_vote, enter_ballot
from shuren.deliberation.models import Ballot, BallotPaper
from shuren.deliberation.tests.files import PDF, not_a_scan, scan
from shuren.deliberation.votes.choices import Matter
from shuren.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

NOTICE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
OPENS = NOTICE + dt.timedelta(days=15)
DURING = OPENS + dt.timedelta(days=1)


@pytest.fixture
def vote(world):
    return call_vote(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        matter=Matter.REBUILD,
        title="1栋1单元加装电梯",
        opens_at=OPENS,
        closes_at=OPENS + dt.timedelta(days=7),
        at=NOTICE,
    )


def _enter(world, vote, **extra):
    values = {
        "actor": world.user("demo-shequ"),
        "vote": vote,
        "owner_key": f"p{world.person('P-WANG').pk}",
        "choice": "agree",
        "origin": "paper",
        "person": world.person("P-WANG"),
        "at": DURING,
    }
    values.update(extra)
    return enter_ballot(**values)


def _files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "votes"
    return set(root.rglob("*")) if root.exists() else set()


def test_a_paper_ballot_keeps_its_scan_under_a_name_of_ours(world, vote):
    ballot = _enter(world, vote, paper=scan("王秀英 13812345678.pdf"))
    paper = BallotPaper.objects.get(ballot=ballot)
    assert (paper.kind, paper.content_type, paper.size) == ("scan", "application/pdf", len(PDF))
    assert paper.file.name == f"votes/{vote.pk}/ballot-{ballot.pk}-scan.pdf"
    assert paper.file.read() == PDF


def test_a_proxy_ballot_keeps_the_authorisation_and_may_keep_the_scan(world, vote):
    ballot = _enter(
        world,
        vote,
        origin="proxy",
        proxy_name="陈小明",
        authorisation=scan("auth.png"),
        paper=scan("ballot.jpg"),
    )
    kinds = dict(BallotPaper.objects.filter(ballot=ballot).values_list("kind", "content_type"))
    assert kinds == {"authorisation": "image/png", "scan": "image/jpeg"}


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, "paper_missing"),
        ({"origin": "proxy", "proxy_name": "陈小明"}, "authorisation_missing"),
        ({"paper": not_a_scan()}, "file_type"),
        ({"paper": SimpleUploadedFile("empty.pdf", b"")}, "empty"),
    ],
)
def test_a_ballot_without_its_paper_or_with_another_file_is_refused(world, vote, extra, code):
    with pytest.raises(ValidationError) as refused:
        _enter(world, vote, **extra)
    assert refused.value.code == code
    assert refused.value.messages[0]  # in words
    assert not Ballot.objects.exists()
    assert _files() == set()


def test_a_scan_over_ten_megabytes_is_refused(world, vote):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        _enter(world, vote, paper=big)
    assert refused.value.code == "too_large"
    assert "10 MB" in refused.value.messages[0]


def test_a_second_ballot_for_the_owner_writes_no_file(world, vote):
    _enter(world, vote, paper=scan())
    before = _files()
    with pytest.raises(ValidationError) as again:
        _enter(world, vote, paper=scan(), choice="disagree")
    assert again.value.code == "already_voted"
    assert _files() == before
    assert BallotPaper.objects.count() == 1
