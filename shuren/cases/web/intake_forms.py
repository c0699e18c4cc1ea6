"""The intake forms: a resident's report, a leader's quick entry, staff entry, and their places.

Who may use which form, where, by which channel, with a risk level or the parties, is the
intake policy's (intake/policy.py: Mode, RIGHTS, places_for); each form shows the fields its
mode's rights allow. The forms only validate; the views call report_case(), which enforces the
policy again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from shuren.cases.choices import OWN_CHANNELS
from shuren.cases.intake.photos import CleanPhoto, clean_photos
from shuren.cases.intake.policy import RIGHTS, Mode, Places
from shuren.cases.models import Category, Channel, PartySide, RiskLevel
from shuren.people.models import Person
from shuren.places.models import Place
from shuren.text import InputsForm, fits_integer

# A datalist of names helps a leader pick a resident; past this many it is left out.
MAX_NAMES = 300
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,18}[0-9]$")
NAME_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<code>[^）)]+?)\s*[）)]$")
SEPARATORS = re.compile(r"[,，、;；\n]+")


# --- Places -------------------------------------------------------------------------------------


@dataclass
class Option:
    place: Place
    whole: bool = False  # the place being browsed itself, as against one of its children
    opens: bool = False  # has places under it to browse into


@dataclass
class Picker:
    """The place radios to show: a resident's own places, or one level of a post's subtree."""

    options: list[Option]
    selected: int | None
    current: Place | None = None  # the place being browsed (None: the list of post places)
    up: Place | None = None  # where "up one level" goes
    up_to_top: bool = False  # "up" goes back to the list of post places
    trail: list[Place] = field(default_factory=list)  # current's places from the post's place


def as_int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):  # not a number, or one of more than 4,300 digits
        return None
    return number if fits_integer(number) else None


def picker_for(places: Places, *, browse: Any = None, selected: Any = None) -> Picker:
    selected_pk = as_int(selected)
    if places.singles:
        options = [Option(p) for p in sorted(places.singles, key=lambda p: p.path)]
        pks = {o.place.pk for o in options}
        default = places.default
        chosen = selected_pk if selected_pk in pks else (default.pk if default else None)
        return Picker(options=options, selected=chosen)
    current: Place | None = None
    browse_pk = as_int(browse)
    if browse_pk:
        found = Place.objects.filter(pk=browse_pk).first()
        if found is not None and places.allows(found):
            current = found
    if current is None and browse_pk != 0 and len(places.roots) == 1:
        current = places.roots[0]
    if current is None:
        options = [Option(p, opens=True) for p in places.roots]
        pks = {o.place.pk for o in options}
        return Picker(options=options, selected=selected_pk if selected_pk in pks else None)
    children = (
        Place.objects.filter(parent=current)
        .annotate(opens=Exists(Place.objects.filter(parent=OuterRef("pk"))))
        .order_by("path")
    )
    options = [Option(current, whole=True)]
    options += [Option(child, opens=bool(getattr(child, "opens", False))) for child in children]
    pks = {o.place.pk for o in options}
    is_root = any(current.pk == root.pk for root in places.roots)
    root = next(r for r in places.roots if current.path.startswith(r.path))
    trail = [p for p in current.ancestors() if p.path.startswith(root.path)] + [current]
    return Picker(
        options=options,
        selected=selected_pk if selected_pk in pks else current.pk,
        current=current,
        up=None if is_root else current.parent,
        up_to_top=is_root and len(places.roots) > 1,
        trail=trail,
    )


# --- Categories ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTile:
    category: Category
    label: str


@dataclass
class CategorySection:
    """A run of category tiles under its heading: a top level's children under its name, or
    the top levels that have none under "Other kinds"."""

    title: str
    items: list[CategoryTile]


def category_sections() -> list[CategorySection]:
    """The two-level tree of active categories as sections of tiles, in their sort order:
    邻里纠纷 with its seven children, then the top levels that have none, side by side. Every
    section has a heading, and no two tiles read the same: a child named like another tile
    (邻里纠纷 › 其他 beside 其他) carries its group's name."""
    everything = list(Category.objects.filter(active=True))
    children: dict[int, list[Category]] = {}
    for category in everything:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    tops = [c for c in everything if c.parent_id is None]
    shown = [c for c in everything if c.parent_id is None and c.pk not in children]
    shown += [child for top in tops for child in children.get(top.pk, [])]
    counts: dict[str, int] = {}
    for category in shown:
        counts[category.label] = counts.get(category.label, 0) + 1

    def tile(category: Category, group: str = "") -> CategoryTile:
        label = category.label
        if group and counts[label] > 1:
            label = _("%(name)s (%(group)s)") % {"name": label, "group": group}
        return CategoryTile(category, str(label))

    sections: list[CategorySection] = []
    loose: CategorySection | None = None
    for top in tops:
        if top.pk in children:
            sections.append(
                CategorySection(top.label, [tile(c, top.label) for c in children[top.pk]])
            )
            loose = None
        elif loose is not None:
            loose.items.append(tile(top))
        else:
            title = _("Other kinds") if sections else _("Kinds of matter")
            loose = CategorySection(str(title), [tile(top)])
            sections.append(loose)
    return sections


def leaf_categories() -> Any:
    """Only the most precise categories may be chosen (邻里纠纷 › 噪音, not 邻里纠纷 alone)."""
    return Category.objects.filter(active=True).exclude(
        Exists(Category.objects.filter(parent=OuterRef("pk"), active=True))
    )


# --- People -------------------------------------------------------------------------------------


def name_options(user: Any) -> list[str]:
    """Names for the resident datalist: those the user may see, with the code where names clash."""
    people = list(Person.objects.visible_to(user).order_by("name", "pk")[: MAX_NAMES + 1])
    if len(people) > MAX_NAMES:
        return []
    counts: dict[str, int] = {}
    for person in people:
        counts[person.name] = counts.get(person.name, 0) + 1
    return [
        f"{p.name}（{p.code}）" if counts[p.name] > 1 and p.code else p.name
        for p in people
        if p.pk != getattr(user, "person_id", None)
    ]


def resolve_person(user: Any, text: str) -> Person:
    """The one person the user may see who goes by this name or code ("王秀英", "P-WANG",
    "王秀英（P-WANG）"); ValidationError when there is none or more than one."""
    text = text.strip()
    match = NAME_WITH_CODE.match(text)
    visible = Person.objects.visible_to(user)
    if match:
        found = list(visible.filter(code__iexact=match["code"])[:2])
    else:
        found = list(visible.filter(Q(code__iexact=text) | Q(name=text))[:2])
    if not found:
        raise forms.ValidationError(
            _("Nobody called “%(name)s” lives or works in the places you look after."),
            code="unknown_person",
            params={"name": text},
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("Several people are called “%(name)s”: choose the name with the code from the list."),
            code="ambiguous_person",
            params={"name": text},
        )
    return found[0]


def resolve_people(user: Any, text: str) -> list[Person]:
    people: list[Person] = []
    errors: list[forms.ValidationError] = []
    for part in SEPARATORS.split(text or ""):
        if not part.strip():
            continue
        try:
            person = resolve_person(user, part)
        except forms.ValidationError as error:
            errors.append(error)
            continue
        if person not in people:
            people.append(person)
    if errors:
        raise forms.ValidationError(errors)
    return people


# --- Forms --------------------------------------------------------------------------------------


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.Field):
    """Up to four photos, each checked by content and re-encoded (shuren.cases.intake.photos)."""

    widget = MultiplePhotoInput

    def to_python(self, value: Any) -> list[CleanPhoto]:
        uploads = [f for f in (value or []) if f]
        return clean_photos(uploads) if uploads else []


class IntakeForm(InputsForm):
    """What every intake asks: where, what kind, what happened, photos."""

    mode = Mode.RESIDENT

    place = forms.IntegerField(
        label=_("Where is it?"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose where the matter is."),
            "invalid": _("Choose where the matter is."),
        },
    )
    category = forms.ModelChoiceField(
        label=_("What kind of matter?"),
        queryset=Category.objects.none(),
        error_messages={
            "required": _("Choose what kind of matter it is."),
            "invalid_choice": _("Choose one of the kinds listed."),
        },
    )
    title = forms.CharField(
        label=_("In a few words, what is the matter?"),
        max_length=200,
        error_messages={"required": _("Say in a few words what the matter is.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("More details (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(label=_("Photos (optional, at most 4)"), required=False)
    # Made when the form is shown; a second tap or a network retry sends the same key, and
    # report_case() returns the case the first one made.
    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, places: Places, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.places = places
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = leaf_categories()
        self.fields["photos"].widget.attrs.update(
            {"accept": "image/jpeg,image/png", "multiple": True}
        )

    def clean_place(self) -> Place:
        pk = self.cleaned_data["place"]
        place = Place.objects.filter(pk=pk).first()
        # A place outside the user's own is refused exactly like a missing one.
        if place is None or not self.places.allows(place):
            raise forms.ValidationError(_("Choose one of the places listed."), code="place")
        return place

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    @property
    def clean_photo_list(self) -> list[CleanPhoto]:
        return list(self.cleaned_data.get("photos") or [])

    def report_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for report_case(), besides actor and idempotency_key."""
        data = self.cleaned_data
        return {
            "place": data["place"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "photos": [photo.as_file() for photo in self.clean_photo_list],
        }

    def note_text(self) -> str:
        """The report as a note on an existing case (when the reporter adds it to one)."""
        data = self.cleaned_data
        return "\n".join(part for part in (data["title"], data["description"]) if part)


class LeaderEntryForm(IntakeForm):
    """A leader enters a matter someone raised with them, and how it reached them."""

    mode = Mode.LEADER

    channel = forms.ChoiceField(
        label=_("How did it reach you?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the matter reached you.")},
    )
    reporter = forms.CharField(
        label=_("Resident who raised it (name or code)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "intake-names"}),
    )
    contact_name = forms.CharField(
        label=_("Or the name of someone not on the list"), required=False, max_length=50
    )
    contact_phone = forms.CharField(
        label=_("Their phone (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    # Leaders and staff stand in front of the matter: they may say it is risky (RIGHTS).
    risk = forms.ChoiceField(
        label=_("Risk level"),
        choices=RiskLevel.choices,
        initial=RiskLevel.LOW,
        required=False,
        widget=forms.RadioSelect,
    )

    field_order = ["place", "category", "channel", "title", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rights = RIGHTS[self.mode]
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)
        channel_field.choices = [(c, Channel(c).label) for c in rights.channels]
        if not rights.sets_risk:
            del self.fields["risk"]

    def clean_reporter(self) -> Person | None:
        text = self.cleaned_data["reporter"].strip()
        return resolve_person(self.user, text) if text else None

    def clean_contact_name(self) -> str:
        return " ".join(self.cleaned_data["contact_name"].split())

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter the phone number in digits, e.g. 13812345678."), code="phone"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reporter, name = data.get("reporter"), data.get("contact_name")
        channel = data.get("channel")
        if "reporter" in self.errors or "contact_name" in self.errors:
            return data
        if reporter is not None and name:
            self.add_error(
                "contact_name", _("Give either a resident from the list or another name, not both.")
            )
        elif reporter is None and not name and channel and channel not in OWN_CHANNELS:
            self.add_error("reporter", _("Say who raised the matter."))
        if data.get("contact_phone") and not name:
            self.add_error("contact_phone", _("Give the name that goes with this phone."))
        return data

    def report_kwargs(self) -> dict[str, Any]:
        kwargs = super().report_kwargs()
        data = self.cleaned_data
        kwargs.update(
            channel=data["channel"],
            risk=data.get("risk") or RiskLevel.LOW,
            reporter=data.get("reporter"),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
        )
        return kwargs

    def note_text(self) -> str:
        data = self.cleaned_data
        who = data.get("reporter") or data.get("contact_name") or ""
        via = Channel(data["channel"]).label
        head = f"[{via}{' · ' + str(who) if who else ''}]"
        return f"{head} {super().note_text()}"


class StaffEntryForm(LeaderEntryForm):
    """Community or subdistrict staff enter a matter: any channel, a risk level, the parties."""

    mode = Mode.STAFF

    applicants = forms.CharField(
        label=_("Applicants (names or codes, separated by 、)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "intake-names"}),
    )
    respondents = forms.CharField(
        label=_("Respondents (names or codes, separated by 、)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "intake-names"}),
    )

    def clean_applicants(self) -> list[Person]:
        return resolve_people(self.user, self.cleaned_data["applicants"])

    def clean_respondents(self) -> list[Person]:
        return resolve_people(self.user, self.cleaned_data["respondents"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        both = set(data.get("applicants") or []) & set(data.get("respondents") or [])
        if both:
            self.add_error(
                "respondents",
                _("%(names)s cannot be on both sides.")
                % {"names": "、".join(p.name for p in sorted(both, key=lambda p: p.pk))},
            )
        return data

    def report_kwargs(self) -> dict[str, Any]:
        kwargs = super().report_kwargs()
        data = self.cleaned_data
        kwargs["parties"] = [(p, PartySide.APPLICANT) for p in data["applicants"]] + [
            (p, PartySide.RESPONDENT) for p in data["respondents"]
        ]
        return kwargs


FORMS: dict[Mode, type[IntakeForm]] = {
    Mode.RESIDENT: IntakeForm,
    Mode.LEADER: LeaderEntryForm,
    Mode.STAFF: StaffEntryForm,
}
