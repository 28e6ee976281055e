"""Phone and ID numbers stored as typed before issue 13 point 9 are normalised the way
new ones are (cases.validators), so that the next registration of the same person finds
them. Petitioners who were stored twice stay two rows: merging people is the office's
decision, not a migration's (no constraint makes them collide)."""

from django.db import migrations

from cases.validators import normalise_id_number, normalise_name, normalise_phone

BATCH = 1000


def _normalise(model, fields: dict, rows) -> None:
    limits = {name: model._meta.get_field(name).max_length for name in fields}
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        dirty = False
        for name, normalise in fields.items():
            value = normalise(getattr(row, name))
            # 0731 88888888 gains a hyphen; a value that would no longer fit is left alone
            if value != getattr(row, name) and len(value) <= limits[name]:
                setattr(row, name, value)
                dirty = True
        if dirty:
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, list(fields))
            changed = []
    if changed:
        model.objects.bulk_update(changed, list(fields))


def forwards(apps, schema_editor):
    Petitioner = apps.get_model("cases", "Petitioner")
    _normalise(
        Petitioner,
        {"name": normalise_name, "phone": normalise_phone, "id_number": normalise_id_number},
        Petitioner.objects.all(),
    )
    GroupRepresentative = apps.get_model("cases", "GroupRepresentative")
    _normalise(
        GroupRepresentative,
        {"name": normalise_name, "phone": normalise_phone},
        GroupRepresentative.objects.all(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_history_reasons_kept_whole"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
