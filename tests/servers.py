"""Run `dangjian` as a user does: a command in a fresh $DANGJIAN_HOME on the embedded SQLite
database, or a server in its own process group stopped with Ctrl-C."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ACCOUNTS = {"admin", "county", "branch", "member", "jijian"}


def dangjian(home: Path, *args: str, **kwargs):
    env = {**os.environ, "DANGJIAN_HOME": str(home)}
    # The demo is about the embedded default: never the database of the test run.
    env.pop("DANGJIAN_DATABASE_URL", None)
    return [sys.executable, "-m", "dangjian.cli", *args], env


def run(home: Path, *args: str) -> str:
    command, env = dangjian(home, *args)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Server:
    """A `dangjian` server started in its own process group and stopped with Ctrl-C."""

    def __init__(self, home: Path, *args: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command, env = dangjian(home, *args, "--addr", f"127.0.0.1:{self.port}")
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._early = ""

    def read_until(self, text: str) -> str:
        """The output up to and including the first line that holds `text` (it must come)."""
        lines = []
        for line in self.process.stdout:
            lines.append(line)
            if text in line:
                break
        self._early += "".join(lines)
        return self._early

    def __enter__(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stdout.read()[-3000:]
            try:
                if get(f"{self.base}/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("server did not start")

    def __exit__(self, *exc):
        self._signal(signal.SIGINT)
        try:
            rest = self.process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            rest = self.process.communicate()[0]
        self.output = self._early + rest
        return False

    def _signal(self, sig) -> None:
        # ProcessLookupError: every process of the group has already gone.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)


def account_users(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith("账号 ")}
