from django.db import migrations

# The package's own Chinese names are short forms; the State Council's notices use these.
OFFICIAL_NAMES = {"Tomb-sweeping Day": "清明节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节"}


def seed(apps, schema_editor):
    """Every year the chinesecalendar package covers, as published (DOMAIN.md "Counting").

    The same loop as deadlines.calendar.seed_from_package, over the historical models.
    Whatever years the installed release covers are seeded; later years stay provisional
    until seed_from_package is run. Existing rows are kept, so running it again is harmless.
    """
    import chinese_calendar

    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")

    def holiday_name(package_name):
        if package_name in OFFICIAL_NAMES:
            return OFFICIAL_NAMES[package_name]
        try:
            return chinese_calendar.Holiday(package_name).chinese
        except ValueError:
            return package_name

    days = {d: (False, holiday_name(name)) for d, name in chinese_calendar.holidays.items()}
    days.update({d: (True, f"调休上班（{holiday_name(name)}）") for d, name in chinese_calendar.workdays.items()})
    if not days:
        return
    note = f"由 chinesecalendar {chinese_calendar.__version__} 导入"
    for year in range(min(d.year for d in days), max(d.year for d in days) + 1):
        CalendarYear.objects.get_or_create(year=year, defaults={"status": "official", "version": 1, "note": note})
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=d, is_workday=is_workday, name=name, source="package")
            for d, (is_workday, name) in sorted(days.items())
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
