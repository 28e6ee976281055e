# Document, its numbering and the ledger exports move here from cases with every row:
# cases 0008 renamed their tables and dropped them from its state; this only adds them
# to this app's state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import documents.models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("cases", "0008_documents_move_to_documents"),
        ("deadlines", "0008_clock_open_due_index_covers_case_and_rule"),
        ("supervision", "0004_notification_moves_to_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='DocumentNumberSequence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('registration', '信访登记表'), ('acceptance', '受理告知书'), ('rejection', '不予受理告知书'), ('extension', '延期办理告知书'), ('opinion', '信访处理意见书'), ('supervision', '督办通知书'), ('reply-to-superior', '复函')], max_length=20, verbose_name='文书类别')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('last', models.PositiveIntegerField(default=0, verbose_name='已用编号')),
                    ],
                    options={
                        'verbose_name': '文书编号',
                        'verbose_name_plural': '文书编号',
                        'constraints': [models.UniqueConstraint(fields=('kind', 'year'), name='document_sequence_once')],
                    },
                ),
                migrations.CreateModel(
                    name='LedgerExport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('params', models.JSONField(default=dict, verbose_name='筛选条件')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('status', models.CharField(choices=[('pending', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], default='pending', max_length=10, verbose_name='状态')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='总行数')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='已写行数')),
                        ('file', models.FileField(blank=True, max_length=200, upload_to='exports/', verbose_name='文件')),
                        ('error', models.CharField(blank=True, max_length=300, verbose_name='错误')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='过期时间')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ledger_exports', to=settings.AUTH_USER_MODEL, verbose_name='导出人')),
                    ],
                    options={
                        'verbose_name': '台账导出',
                        'verbose_name_plural': '台账导出',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Document',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('registration', '信访登记表'), ('acceptance', '受理告知书'), ('rejection', '不予受理告知书'), ('extension', '延期办理告知书'), ('opinion', '信访处理意见书'), ('supervision', '督办通知书'), ('reply-to-superior', '复函')], max_length=20, verbose_name='文书类别')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('sequence', models.PositiveIntegerField(verbose_name='序号')),
                        ('number', models.CharField(max_length=40, unique=True, verbose_name='文号')),
                        ('file', models.FileField(max_length=200, upload_to=documents.models.document_path, verbose_name='文件')),
                        ('size', models.PositiveIntegerField(verbose_name='大小')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='制作时间')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='cases.case', verbose_name='信访件')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='制作人')),
                        ('extension', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='deadlines.extension', verbose_name='延期')),
                        ('notice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='supervision.notice', verbose_name='督办单')),
                    ],
                    options={
                        'verbose_name': '文书',
                        'verbose_name_plural': '文书',
                        'ordering': ['created_at', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'year', 'sequence'), name='document_number_once')],
                    },
                ),
            ],
        ),
    ]
