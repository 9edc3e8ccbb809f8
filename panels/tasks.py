from django_tasks import task


@task(backend="messages", queue_name="messages")
def queue_result_messages(panel_id, volunteer_ids):
    """Run by the message worker after the coordinator sends the results of a draw: a pool can hold
    thousands of people, and building their messages must not keep the coordinator's request waiting."""
    from . import after_draw
    from .models import Panel

    panel = Panel.objects.filter(pk=panel_id).first()
    if panel is None:
        return 0
    return len(after_draw.queue_result_messages(panel, volunteer_ids))
