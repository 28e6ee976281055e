# PolicyFix (from cases) and ReceptionDay (from people) move here with every row: those
# apps' migrations renamed the tables and dropped the models from their state; this only
# adds them to the dashboard's.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0003_clock_overdue_rule_index"),
        ("cases", "0009_policyfix_moves_to_dashboard"),
        ("people", "0003_receptionday_moves_to_dashboard"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PolicyFix',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='制度完善事项')),
                        ('description', models.TextField(max_length=5000, verbose_name='完善内容')),
                        ('adopted_on', models.DateField(verbose_name='出台日期')),
                        ('reference', models.CharField(blank=True, max_length=200, verbose_name='文件名称或文号')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('cases', models.ManyToManyField(related_name='policy_fixes', to='cases.case', verbose_name='相关信访件')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='policy_fixes', to='people.unit', verbose_name='责任部门')),
                    ],
                    options={
                        'verbose_name': '制度完善',
                        'verbose_name_plural': '制度完善',
                        'ordering': ['-adopted_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReceptionDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='接访日期')),
                        ('place', models.CharField(max_length=100, verbose_name='接访地点')),
                        ('time_slot', models.CharField(help_text='如：上午 8:30—11:30', max_length=50, verbose_name='接访时段')),
                        ('note', models.TextField(blank=True, verbose_name='备注')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('cases', models.ManyToManyField(blank=True, related_name='reception_days', to='cases.case', verbose_name='接待的信访件')),
                        ('leader', models.ForeignKey(limit_choices_to={'role': 'leader'}, on_delete=django.db.models.deletion.PROTECT, related_name='reception_days', to=settings.AUTH_USER_MODEL, verbose_name='接访领导')),
                    ],
                    options={
                        'verbose_name': '领导接访安排',
                        'verbose_name_plural': '领导接访安排',
                        'ordering': ['date', 'leader_id'],
                        'constraints': [models.UniqueConstraint(fields=('date', 'leader'), name='reception_once_per_leader_and_day', violation_error_message='该领导当天已有接访安排。')],
                    },
                ),
            ],
        ),
    ]
