from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.demo import load_demo
from people.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = (
        "Load the demo: units, one login per role, and two years of cases walked through the real services "
        "(into a database without cases; a second run only resets the logins' passwords)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help=f"how many cases the two years hold (default XINFANG_DEMO_CASES, now {settings.XINFANG_DEMO_CASES})",
        )
        parser.add_argument("--seed", type=int, default=2026, help="the same seed and day give the same demo")

    def handle(self, *args, **options):
        if options["cases"] is not None and options["cases"] < 0:
            raise CommandError("--cases 不能为负数。")
        try:
            import time_machine  # noqa: F401
        except ImportError as e:
            raise CommandError(
                "load_demo 需要 time-machine（测试依赖，./xf setup 会安装）：每件演示信访件都在其发生的时间"
                "经过正式流程。"
            ) from e
        # progress on stderr (./xf run keeps stdout, the logins, for after the start), unstyled
        result = load_demo(
            cases=options["cases"], seed=options["seed"], log=lambda line: self.stderr.write(line, style_func=str)
        )
        if result["created"]:
            self.stdout.write(f"演示数据：新建信访件 {result['created']} 件（两年，用时 {result['seconds']:.0f} 秒）。")
        else:
            self.stdout.write("演示数据：数据库中已有信访件，未再新建（演示账号的密码已重置）。")
        for reason in result["skipped"]:
            self.stderr.write(f"  未能完成的一步：{reason}")
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
