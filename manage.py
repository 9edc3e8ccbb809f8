#!/usr/bin/env python
import os
import sys

# Commands that only read and write the project's code (migrations files, translation catalogues) run with the
# development settings, so a newcomer's `python manage.py makemigrations --check` works without production
# secrets. Everything else (migrate, the worker, the daily jobs, check) is production unless told otherwise.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}

if __name__ == "__main__":
    code_only = len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE",
                          "participation.settings.dev" if code_only else "participation.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
