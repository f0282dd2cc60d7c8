import os
import subprocess
import sys

import pytest


def run_check(env_overrides, tmp_path):
    env = {**os.environ, "DANGJIAN_HOME": str(tmp_path), **env_overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "dangjian.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DANGJIAN_DEBUG", "yes"),
        ("DANGJIAN_HTTPS", "ture"),
        ("DANGJIAN_SECRET_KEY", "short"),
        ("DANGJIAN_PAGE_SIZE", "many"),
    ],
)
def test_it_stops_on_a_bad_setting_naming_the_variable(name, value, tmp_path):
    result = run_check({name: value}, tmp_path)
    assert result.returncode == 2
    assert "配置错误" in result.stderr
    assert name in result.stderr


def test_it_generates_the_secret_key_once_into_home(tmp_path):
    assert run_check({}, tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert run_check({}, tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
