# Notification now belongs to the notifications app, which renamed its table; here it
# only leaves supervision's state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0003_seed_triggers"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
