"""QuickSelect writes the same <select> as Django's own Select widget, only faster."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from shuren.cases.web.widgets import QuickSelect


class _Shape(HTMLParser):
    """Tags with their attributes (in any order) and text, whitespace between tags ignored."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, sorted(attrs, key=lambda a: a[0])))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def shape(html: str) -> list[tuple]:
    parser = _Shape()
    parser.feed(str(html))
    return parser.items


CHOICES = [
    ("", "Any"),
    ("open", "Open <not yet resolved>"),
    ("a&b", '“Quoted” & "escaped"'),
    ("Groups", [("g1", "First of a group"), ("g2", "二级分类")]),
    (7, "A number"),
]


@pytest.mark.parametrize("value", ["", "open", "a&b", "g2", 7, "7", None, ["open", "g1"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_status"}, {"id": "x", "aria-invalid": "true", "required": True}]
)
def test_it_writes_what_django_writes(value, attrs):
    quick = QuickSelect(choices=CHOICES).render("status", value, attrs)
    django = forms.Select(choices=CHOICES).render("status", value, attrs)
    assert shape(quick) == shape(django)


def test_a_bound_form_field_renders_through_it_with_its_label_id_and_errors():
    class Form(forms.Form):
        status = forms.ChoiceField(choices=CHOICES[:2], widget=QuickSelect)

    form = Form({"status": "nonsense"})
    assert not form.is_valid()
    html = str(form["status"])
    assert 'id="id_status"' in html
    assert 'aria-invalid="true"' in html
    assert html.count("<option") == 2
    assert "&lt;not yet resolved&gt;" in html
