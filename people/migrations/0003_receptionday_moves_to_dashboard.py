# ReceptionDay now belongs to the dashboard (领导接访): its table and its cases table are
# renamed to the dashboard's names here, every row kept, and it leaves this app's state;
# dashboard 0004 takes it in.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_reception_days"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="receptionday", table="dashboard_receptionday")],
            state_operations=[migrations.DeleteModel(name="ReceptionDay")],
        ),
    ]
