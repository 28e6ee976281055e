from django.db import migrations


def readable(apps, schema_editor):
    """The grounds' citations name their sources (《河南省教育系统信访工作责任制实施细则》
    第十四条(四)), not the internal codes they were first stored with (issue 12 point 14)."""
    from core.sources import render

    Source = apps.get_model("core", "Source")
    names = {s.code: s.cited_as or f"《{s.title}》" for s in Source.objects.all()}
    Ground = apps.get_model("accountability", "Ground")
    for ground in Ground.objects.all():
        citation = render(ground.citation, names)
        if citation != ground.citation:
            ground.citation = citation
            ground.save(update_fields=["citation"])


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0004_history_rows_name_their_step"),
        ("core", "0002_seed_sources"),
    ]

    operations = [migrations.RunPython(readable, migrations.RunPython.noop)]
