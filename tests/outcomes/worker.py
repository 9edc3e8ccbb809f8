"""Play the message worker inside a test.

`manage.py db_worker` closes its database connection between tasks, which would end the test's own
transaction; this runs the same queued tasks (what the worker would claim) in the test's connection.
"""

from django_tasks_db.models import DBTaskResult


def run_worker():
    ran = 0
    for result in DBTaskResult.objects.ready().filter(backend_name="messages").order_by("enqueued_at"):
        result.claim("test-worker")
        args_kwargs = result.args_kwargs
        result.set_successful(result.task.call(*args_kwargs["args"], **args_kwargs["kwargs"]))
        ran += 1
    return ran
