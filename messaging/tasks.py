from django_tasks import task

from . import services


@task(backend="messages", queue_name="messages")
def deliver_message(message_id):
    """Run by `manage.py db_worker --backend messages --queue-name messages`; takes only the id."""
    message = services.deliver(message_id)
    return message.state if message else None
