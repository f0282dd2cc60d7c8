"""Who and where a write comes from: request data for the audit row, and the CLI actor."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    request_id: str = ""


_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "dangjian_origin",
    default=Origin(),  # noqa: B039 - frozen
)


def set_origin(ip: str | None, request_id: str | None = None) -> contextvars.Token:
    return _origin.set(Origin(ip=ip, request_id=(request_id or uuid.uuid4().hex)[:64]))


def reset_origin(token: contextvars.Token) -> None:
    _origin.reset(token)


def current_origin() -> Origin:
    return _origin.get()


class SystemActor:
    """The command line without --as: unrestricted, audited under the name `cli`."""

    pk = None
    id = None
    username = "cli"
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    is_anonymous = False

    def __str__(self) -> str:
        return self.username


CLI = SystemActor()
