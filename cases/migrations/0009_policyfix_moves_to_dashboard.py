# PolicyFix now belongs to the dashboard (制度完善 is recorded from its hot-topic pages):
# its table and its cases table are renamed to the dashboard's names here, every row kept,
# and it leaves this app's state; dashboard 0004 takes it in.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_documents_move_to_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="policyfix", table="dashboard_policyfix")],
            state_operations=[migrations.DeleteModel(name="PolicyFix")],
        ),
    ]
