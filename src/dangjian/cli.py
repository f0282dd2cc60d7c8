"""The `dangjian` command: manage.py with the settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["dangjian", *sys.argv[1:]])
    except KeyboardInterrupt:
        # Ctrl-C is how a user stops a command: no traceback, the shell's usual status.
        sys.exit(130)


if __name__ == "__main__":
    main()
