"""Escalate 责任追究 cases whose rectification is still unfinished after 通报 (seed 002
第十七–十八条). Safe to run twice, or twice at once."""

from django.core.management.base import BaseCommand

from accountability.services import escalate_unfinished


class Command(BaseCommand):
    help = "升级通报后逾期仍未完成整改的责任追究案件"

    def handle(self, *args, **options):
        done = escalate_unfinished()
        self.stdout.write(f"升级 {len(done)} 件。")
