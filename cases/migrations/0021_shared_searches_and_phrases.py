"""The office's shared 常用查询 and the school-wide 常用语 (cases.seed_defaults)."""

from django.db import migrations

from cases.seed_defaults import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(apps.get_model("cases", "SavedSearch"), apps.get_model("cases", "Phrase"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_saved_searches_and_phrases")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
