#!/usr/bin/env python
"""manage.py for the bench-only helpdesk project: run it with bench/helpdesk/.venv/bin/python."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"  # never the product's settings
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
