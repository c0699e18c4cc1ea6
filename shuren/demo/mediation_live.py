"""demo-tiaojie's mediation cases of the last weeks, entered through the mediation actions as
the mediator would: a new registration waiting for consent, one near its time limit, one at
risk of violence (the police informed), one extended, an agreement awaiting its follow-up
visit, and cases withdrawn, failed and terminated (the routes told)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from shuren.demo import data
from shuren.demo.identities import IdentityMaker
from shuren.demo.mediation_history import Org
from shuren.mediation import actions
from shuren.mediation.choices import (
    AgreementForm,
    Consent,
    DisputeType,
    Outcome,
    PartyRole,
    Referrer,
    Route,
    Source,
)
from shuren.mediation.models import Mediation
from shuren.people.models import Person
from shuren.places.models import Place

VENUE = "苏志敏创熟调解工作室"


def enter_live(org: Org, user: Any, now: dt.datetime, rng: random.Random) -> None:
    places = Place.objects.in_bulk([data.JYLW[0], data.JYZY[0]], field_name="code")
    if len(places) < 2 or user.person_id is None:
        return
    people = IdentityMaker(rng)
    me = Person.objects.get(pk=user.person_id)

    def ago(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def register(place: str, kind: str, title: str, summary: str, days: float, **extra: Any):
        parties = []
        for role in (PartyRole.APPLICANT, PartyRole.RESPONDENT):
            who = people.person(born_from=1950, born_to=1995)
            parties.append(
                actions.PartyInput(
                    role,
                    who.name,
                    gender="男" if who.male else "女",
                    id_number=who.id_number,
                    phone=who.phone,
                    address=f"{places[place].name}{rng.randint(1, 8)}座{rng.randint(201, 3008)}室",
                )
            )
        values: dict[str, Any] = {"source": Source.APPLICATION, "amount": 0, **extra}
        return actions.register_mediation(
            actor=user,
            organisation=org.team,
            place=places[place],
            dispute_type=kind,
            title=title,
            summary=summary,
            parties=parties,
            at=ago(days),
            **values,
        )

    def prepare(m: Mediation, days: float, *, refuse: bool = False) -> None:
        actions.choose_mediators(actor=user, mediation=m, mediators=[me], at=ago(days))
        for i, party in enumerate(m.parties.all()):
            consent = Consent.REFUSED if refuse and i else Consent.GIVEN
            actions.record_consent(
                actor=user, mediation=m, party=party, consent=consent, at=ago(days)
            )

    def sit(m: Mediation, days: float, record: str) -> None:
        actions.hold_session(
            actor=user,
            mediation=m,
            held_at=ago(days),
            venue=VENUE,
            parties=[p for p in m.parties.all() if p.consent == Consent.GIVEN],
            record=record,
            at=ago(days),
        )

    jylw, jyzy = data.JYLW[0], data.JYZY[0]
    # New this morning: the parties are still to be asked.
    register(
        jylw,
        DisputeType.NEIGHBOURS,
        "楼上漏水纠纷",
        "1栋住户反映楼上卫生间漏水，天花板发霉，双方协商未果。",
        0.05,
        amount=3000,
    )
    # Near its time limit: registered 27 days ago, one sitting so far.
    m = register(
        jyzy,
        DisputeType.PROPERTY_SERVICE,
        "车位租金纠纷",
        "业主与物业就车位租金上调发生争议，多户业主拒交。",
        27,
        source=Source.REFERRAL,
        referrer=Referrer.DEPARTMENT,
        amount=18000,
    )
    prepare(m, 26)
    sit(m, 20, "双方陈述意见，物业同意公开成本构成，约定再次协商。")
    # At risk: a threat of violence, the police told (Art. 25).
    m = register(
        jylw,
        DisputeType.NEIGHBOURS,
        "宠物噪音纠纷",
        "住户反映邻居犬只夜间吠叫，双方多次争吵并有推搡。",
        6,
        amount=0,
        source=Source.REFERRAL,
        referrer=Referrer.POLICE,
    )
    prepare(m, 5.9)
    sit(m, 4, "双方情绪激动，调解员分别做思想工作。")
    actions.mark_risk(
        actor=user,
        mediation=m,
        note="一方扬言要“教训”对方，已告知尖东派出所。",
        police_informed=True,
        at=ago(3.9),
    )
    # Extended with both parties' consent.
    m = register(
        jyzy,
        DisputeType.MARRIAGE_FAMILY,
        "赡养费纠纷",
        "老人与子女就赡养费分担发生纠纷，社区转来调解。",
        35,
        amount=24000,
        source=Source.OWN_INITIATIVE,
    )
    prepare(m, 34)
    sit(m, 30, "子女对分担比例意见不一，约定各自准备收入证明。")
    actions.extend_time_limit(
        actor=user,
        mediation=m,
        days=15,
        parties_consented=True,
        reason="双方同意延长，待收入证明齐全后再调解。",
        at=ago(8),
    )
    # Agreed last week; the follow-up visit is to come.
    m = register(
        jylw,
        DisputeType.DAMAGES,
        "高空坠物砸车纠纷",
        "楼上花盆坠落砸坏楼下车辆挡风玻璃，双方就赔偿协商不成。",
        12,
        amount=4200,
    )
    prepare(m, 11.9)
    sit(m, 9, "查看监控后双方确认事实，就赔偿金额达成一致。")
    actions.issue_agreement(
        actor=user,
        mediation=m,
        form=AgreementForm.WRITTEN,
        facts="花盆从楼上住户阳台坠落，砸坏楼下车辆前挡风玻璃。",
        points_in_dispute="维修费用的承担。",
        responsibilities="阳台摆放花盆未固定，楼上住户应承担赔偿责任。",
        agreed_content="楼上住户赔偿车主维修费4200元，并移除阳台外沿花盆。",
        performance_manner="银行转账",
        performance_place="苏志敏创熟调解工作室",
        performance_deadline=(ago(9) + dt.timedelta(days=15)).date(),
        at=ago(7),
    )
    # Ended without agreement, not yet archived: withdrawn, failed and terminated.
    m = register(jylw, DisputeType.NEIGHBOURS, "装修噪音纠纷", "邻居装修噪音影响老人休息。", 5)
    actions.close_mediation(
        actor=user,
        mediation=m,
        outcome=Outcome.WITHDRAWN,
        note="双方已自行和解，申请人撤回调解申请。",
        at=ago(2),
    )
    m = register(jylw, DisputeType.CONTRACT, "租房押金纠纷", "租客与房东就押金返还发生纠纷。", 20)
    prepare(m, 19)
    sit(m, 15, "双方对押金扣除分歧较大。")
    actions.close_mediation(
        actor=user,
        mediation=m,
        outcome=Outcome.FAILED,
        note="双方分歧过大，调解不成。",
        routes_told=[Route.LITIGATION],
        at=ago(14),
    )
    m = register(
        jylw, DisputeType.NEIGHBOURS, "公共走廊杂物纠纷", "住户长期占用公共走廊堆放杂物。", 9
    )
    prepare(m, 8.9, refuse=True)
    sit(m, 8, "被申请人拒绝调解，仅听取申请人陈述。")
    actions.close_mediation(
        actor=user,
        mediation=m,
        outcome=Outcome.TERMINATED,
        note="被申请人明确拒绝调解，调解终止。",
        routes_told=[Route.ADMINISTRATIVE, Route.LITIGATION],
        at=ago(7.9),
    )
