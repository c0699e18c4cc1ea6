"""The estate tier's policy per category, and the property company that holds a matter there.

Public security skips the estate tier; a complaint about the property service goes to the
owners' committee or self-governance group, never to the company (cases/estate.py). Matters
already at the estate tier, or that were (an event to or from it), get the estate's property
company where the policy gives it the matter: what the company sees of its estates from now on.
The rows are frozen here (cases/seed.py holds the same for tests that flush tables).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

ESTATE_TIERS = {"property": "without_company", "security": "skip"}
ESTATE_KINDS = ("estate", "lane", "street")
ESTATE = 2
STEP_LEN = 10  # places.paths.STEP_LEN, frozen here
CHUNK = 5000


def set_policies_and_companies(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Place = apps.get_model("places", "Place")
    for code, estate_tier in ESTATE_TIERS.items():
        Category.objects.filter(code=code).update(estate_tier=estate_tier)
    excluded = Category.objects.exclude(estate_tier="all")
    kept_out = set(excluded.values_list("pk", flat=True))
    kept_out |= set(Category.objects.filter(parent__in=excluded).values_list("pk", flat=True))
    # The matters that are or were at the estate tier, read once (an UPDATE per estate that
    # asked the events each time took hours at 1 M matters); each gets the company of the
    # estate above its place, found by its path's prefixes, and the rows are written a company
    # at a time in chunks.
    at_estate = set(Case.objects.filter(current_tier=ESTATE).values_list("pk", flat=True))
    at_estate |= set(
        CaseEvent.objects.filter(Q(to_tier=ESTATE) | Q(from_tier=ESTATE)).values_list(
            "case_id", flat=True
        )
    )
    companies = dict(
        Place.objects.filter(kind__in=ESTATE_KINDS, property_company__isnull=False).values_list(
            "path", "property_company_id"
        )
    )
    if not at_estate or not companies:
        return
    by_company: dict[int, list[int]] = {}
    ids = sorted(at_estate)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Case.objects.filter(pk__in=ids[start : start + CHUNK], estate_company__isnull=True)
            .exclude(category_id__in=sorted(kept_out))
            .values_list("pk", "place_path")
        )
        for pk, path in rows:
            for end in range(STEP_LEN, len(path) + 1, STEP_LEN):
                company = companies.get(path[:end])
                if company is not None:
                    by_company.setdefault(company, []).append(pk)
                    break
    for company, pks in by_company.items():
        for start in range(0, len(pks), CHUNK):
            Case.objects.filter(pk__in=pks[start : start + CHUNK]).update(estate_company_id=company)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_ratings_and_handled_matters"),
        ("people", "0002_initial"),
        ("places", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="estate_company",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.team",
                verbose_name="property company at the estate tier",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="estate_tier",
            field=models.CharField(
                choices=[
                    ("all", "The estate tier: its property company, owners' committee and groups"),
                    (
                        "without_company",
                        "The owners' committee or self-governance group only, never the property company",
                    ),
                    ("skip", "Not the estate tier: from the building straight to the community"),
                ],
                default="all",
                help_text="A sub-category follows its parent where the parent is stricter.",
                max_length=16,
                verbose_name="estate tier",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("estate_company__isnull", False)),
                fields=["estate_company", "reported_at"],
                name="case_company_reported",
            ),
        ),
        migrations.RunPython(set_policies_and_companies, migrations.RunPython.noop),
    ]
