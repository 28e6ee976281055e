"""python manage.py refresh_dashboard: rewrite the dashboard's rollups now (the beat job
dashboard.refresh runs the same function)."""

from django.core.management.base import BaseCommand

from dashboard.rollups import refresh_rollups


class Command(BaseCommand):
    help = "重新汇总领导看板数据（与定时任务 dashboard.refresh 相同）"

    def handle(self, *args, **options):
        refresh = refresh_rollups()
        self.stdout.write(f"看板汇总完成：{refresh.rows} 行，耗时 {refresh.seconds:.1f} 秒。")
