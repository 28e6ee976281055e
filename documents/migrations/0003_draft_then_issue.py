# Documents are drafted first and numbered at issue (issue 12 point 11). Every row made
# before is a document as sent: it becomes "issued", issued when and by whom it was made.

import django.db.models.deletion
import documents.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def existing_rows_were_issued(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.update(status="issued", issued_at=F("created_at"), issued_by=F("created_by"))


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_delivery'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='issued_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='签发时间'),
        ),
        migrations.AddField(
            model_name='document',
            name='issued_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签发人'),
        ),
        migrations.AddField(
            model_name='document',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('issued', '已签发')], default='issued', max_length=10, verbose_name='状态'),
        ),
        migrations.RunPython(existing_rows_were_issued, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='document',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('issued', '已签发')], default='draft', max_length=10, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='document',
            name='text',
            field=models.TextField(blank=True, help_text='每段一行；“一、”开头的行是小标题', verbose_name='正文'),
        ),
        migrations.AlterField(
            model_name='document',
            name='file',
            field=models.FileField(blank=True, max_length=200, upload_to=documents.models.document_path, verbose_name='文件'),
        ),
        migrations.AlterField(
            model_name='document',
            name='number',
            field=models.CharField(blank=True, max_length=40, null=True, unique=True, verbose_name='文号'),
        ),
        migrations.AlterField(
            model_name='document',
            name='sequence',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='序号'),
        ),
        migrations.AlterField(
            model_name='document',
            name='sha256',
            field=models.CharField(blank=True, max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AlterField(
            model_name='document',
            name='size',
            field=models.PositiveIntegerField(default=0, verbose_name='大小'),
        ),
    ]
