from django.conf import settings
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
        if settings.XINFANG_REQUIRE_OTP:
            self.stdout.write("双因素认证：已开启，信访办、院领导、纪检监察和系统管理员首次登录时绑定身份验证器。")
        else:
            self.stdout.write(
                "双因素认证：演示环境未开启（XINFANG_REQUIRE_OTP=false）；生产设置（.env.example）对信访办、"
                "院领导、纪检监察和系统管理员开启。"
            )
