from django.core.management.base import BaseCommand, CommandError

from documents.ledger import LedgerQuery, export_ledger
from people.models import Unit, User


class Command(BaseCommand):
    help = "导出信访工作台账（.xlsx）：--year 年度，--unit 部门代码（该部门的台账），--out 文件。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="部门代码，如 jwc；不填为全校台账")
        parser.add_argument("--out", required=True, help="输出的 .xlsx 文件")
        parser.add_argument("--as", dest="username", help="以该用户的权限范围导出；不填为全部信访件")

    def handle(self, *args, year: int, unit: str | None, out: str, username: str | None, **options) -> None:
        query = LedgerQuery(year=year)
        title = f"{year}年台账"
        if unit:
            try:
                found = Unit.objects.get(code=unit)
            except Unit.DoesNotExist:
                raise CommandError(f"没有代码为 {unit} 的部门。") from None
            query.unit_id, title = found.pk, f"{found.name}{year}年台账"
        user = None
        if username:
            try:
                user = User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"没有用户 {username}。") from None
        n = export_ledger(user=user, query=query, out=out, title=title)
        self.stdout.write(f"已导出 {n} 行到 {out}")
