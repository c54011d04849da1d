"""The sending runs in the background (django-tasks): a task sends for a while, then hands over
to a new task, so that a long sending never holds a worker and a restart loses nothing."""

from django.conf import settings
from django_tasks import task


@task()
def send_issue(sending_id: int) -> dict:
    from newsletter import sending

    limit = settings.NEWSLETTER_TASK_SECONDS if send_issue.get_backend().supports_defer else None
    progress = sending.run(sending_id, max_seconds=limit)
    if progress.state == "running" and limit is not None and progress.queued:
        send_issue.enqueue(sending_id)
    return {"sent": progress.sent, "failed": progress.failed, "total": progress.total}
