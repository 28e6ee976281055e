from django.core.management.base import BaseCommand

from devtools.demo import load_demo
from people.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Load demo units, one login per role, and cases in every state (safe to run again)."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(f"演示数据：新建信访件 {result['created']} 件。")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：")
        for username, full_name, role, unit, *_ in PEOPLE:
            label = dict(result["users"][username].Role.choices)[role]
            self.stdout.write(
                f"  {username:<12} {full_name:<6} {label}{' · ' + result['users'][username].unit.name if unit else ''}"
            )
