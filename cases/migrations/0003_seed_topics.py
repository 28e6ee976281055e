from django.db import migrations

# Seed 001's topic areas; an administrator may add, rename or retire them.
TOPICS = ["教育教学", "日常管理", "后勤服务", "资源配置", "校园安全", "教师待遇", "招生录取", "学籍管理"]


def seed(apps, schema_editor):
    Topic = apps.get_model("cases", "Topic")
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
