from django_tasks import task


@task(backend="messages", queue_name="messages")
def notify_outcome_participants(page_id):
    """Run by the worker after an outcome is published: one event can have hundreds of participants,
    and queueing their messages must not keep the editor's publish request waiting."""
    from . import services
    from .models import OutcomePage

    page = OutcomePage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return len(services.notify_outcome_participants(page))
