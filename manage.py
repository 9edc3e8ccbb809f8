#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Production unless told otherwise: `make run`, `make worker`, the tests and benchmarks set dev/test.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
