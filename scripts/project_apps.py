#!/usr/bin/env python
"""Print the directories of the project's own apps, one a line, in INSTALLED_APPS order.

For the Makefile (`make messages`): the app list is kept in INSTALLED_APPS only.
Usage: DJANGO_SETTINGS_MODULE=participation.settings.dev python scripts/project_apps.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings.dev")

import django  # noqa: E402

django.setup()

from participation.project_apps import PROJECT_ROOT, project_app_configs  # noqa: E402

for config in project_app_configs():
    print(Path(config.path).resolve().relative_to(PROJECT_ROOT))
