from django.core.management.base import BaseCommand

from supervision.scan import scan


class Command(BaseCommand):
    help = "Mark due-soon and overdue clocks and raise supervision notices (the beat job, run once)."

    def handle(self, *args, **options):
        self.stdout.write(str(scan()))
