"""Load the holiday files (workdays/data/cn-YYYY.json) as they are when the migration runs.

Later corrections to a file reach an existing database through `manage.py loadholidays`.
"""

from django.db import migrations


def load(apps, schema_editor):
    from shuren.workdays.actions import write_year_files
    from shuren.workdays.sources import read_year_files

    write_year_files(model=apps.get_model("workdays", "HolidayDay"), year_files=read_year_files())


def unload(apps, schema_editor):
    apps.get_model("workdays", "HolidayDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
