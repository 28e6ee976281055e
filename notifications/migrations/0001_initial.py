# The notification table moves here from supervision with every row: the state is
# created here and the table renamed, nothing is copied.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("cases", "0007_policy_fix"),
        ("supervision", "0003_seed_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "supervision_notification" RENAME TO "notifications_notification"',
                    reverse_sql='ALTER TABLE "notifications_notification" RENAME TO "supervision_notification"',
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("text", models.CharField(max_length=200, verbose_name="内容")),
                        ("link", models.CharField(blank=True, max_length=200, verbose_name="链接")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="已读时间")),
                        ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="邮件发送时间")),
                        ("mail_attempts", models.PositiveSmallIntegerField(db_default=0, default=0, verbose_name="邮件尝试次数")),
                        ("mail_error", models.CharField(blank=True, db_default="", max_length=200, verbose_name="邮件错误")),
                        ("case", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.case", verbose_name="信访件")),
                        ("notice", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to="supervision.notice", verbose_name="督办单")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL, verbose_name="接收人")),
                    ],
                    options={
                        "verbose_name": "通知",
                        "verbose_name_plural": "通知",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["user", "read_at"], name="notification_unread_idx")],
                    },
                ),
            ],
        ),
    ]
