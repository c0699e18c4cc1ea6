#!/usr/bin/env python
"""manage.py for the helpdesk benchmark project (run with benchmarks/helpdesk/.venv/bin/python)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdbench.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
