import pytest

from dangjian.recruitment import services
from tests.recruitment.helpers import TODAY


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The services' "today" (future dates are refused) is fixed, so the tests do not
    depend on the day they run."""
    monkeypatch.setattr(services, "_today", lambda: TODAY)
