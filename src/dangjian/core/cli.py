"""Shared by the management commands that take `--as USER` (INTERFACES 3)."""

import sys

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from dangjian.core.context import CLI


def cli_actor(username: str | None, stderr):
    """The user named by --as (exit 1 when unknown or inactive), else the audited `cli`."""
    if username is None:
        return CLI
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        stderr.write(_("用户“%(u)s”不存在或已停用") % {"u": username})
        sys.exit(1)
    return user
