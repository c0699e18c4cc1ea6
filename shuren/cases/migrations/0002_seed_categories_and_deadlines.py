"""Seed the category tree (issue 3) and the deadline policies of rules-cn.md section 3."""

from django.db import migrations

from shuren.cases.seed import seed


def forwards(apps, schema_editor):
    seed(apps.get_model("cases", "Category"), apps.get_model("cases", "DeadlinePolicy"))


def backwards(apps, schema_editor):
    apps.get_model("cases", "DeadlinePolicy").objects.all().delete()
    Category = apps.get_model("cases", "Category")
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
