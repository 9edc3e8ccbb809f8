from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from django_tasks_db.compat import task_started

        from .services import sweep_from_worker

        # The message worker sweeps interrupted deliveries before its first task (and once a minute).
        task_started.connect(sweep_from_worker, dispatch_uid="messaging-sweep-from-worker")
