"""Run every minute (cron, or a systemd timer): starts the issues whose send date has come and
resumes the sendings a crash or a restart left unfinished."""

from django.core.management.base import BaseCommand

from newsletter import sending


class Command(BaseCommand):
    help = "Starts the newsletter issues due to be sent and resumes unfinished sendings."

    def handle(self, **options):
        started = sending.dispatch()
        for item in started:
            self.stdout.write(f"Started: {item.issue} ({item.total} recipients)")
        running = sending.Sending.objects.filter(state=sending.Sending.State.RUNNING).count()
        self.stdout.write(f"{running} sending(s) running.")
