# Document, DocumentNumberSequence and LedgerExport now belong to the documents app: their
# tables are renamed to that app's names here (every row kept) and they leave this app's
# state; documents 0001 takes them into its own.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_policy_fix"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="document", table="documents_document"),
                migrations.AlterModelTable(name="documentnumbersequence", table="documents_documentnumbersequence"),
                migrations.AlterModelTable(name="ledgerexport", table="documents_ledgerexport"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Document"),
                migrations.DeleteModel(name="DocumentNumberSequence"),
                migrations.DeleteModel(name="LedgerExport"),
            ],
        ),
    ]
