from django.core.management.base import BaseCommand

from supervision.services import sweep


class Command(BaseCommand):
    help = "升级逾期未反馈的督办单并重发失败的通知邮件（与 beat 的 supervision-sweep 相同）。"

    def handle(self, *args, **options) -> None:
        self.stdout.write(str(sweep()))
