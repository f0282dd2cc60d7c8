"""Locust users of bench/scale_members.py: city administrators working the pages that a
large province makes slow, each signed in with its own account and second factor.

Not run alone: scale_members.py writes the accounts and the sample of ids into the JSON
file named by SCALE_BENCH_CONFIG and starts `locust -f` on this file."""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from django_otp.oath import TOTP
from locust import HttpUser, between, task

CONFIG = json.loads(Path(os.environ["SCALE_BENCH_CONFIG"]).read_text(encoding="utf-8"))
ACCOUNTS = itertools.cycle(CONFIG["accounts"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGNED_IN = []
STARTED = time.monotonic()


def all_signed_in(environment) -> None:
    """The measured window opens when the last user has signed in (signing in 20
    administrators at once, password hashing and second factor, is not what is measured):
    the figures so far are dropped, and the run stops `seconds` later."""
    environment.runner.stats.reset_all()
    Path(CONFIG["signed_in_file"]).write_text(
        json.dumps({"seconds": time.monotonic() - STARTED}), encoding="utf-8"
    )
    gevent.spawn_later(CONFIG["seconds"], environment.runner.quit)


class CityAdmin(HttpUser):
    """One 管理员 of a city: the member list (search + filter, page 1), a member's record,
    the dashboard and the statistics API, in the proportions of a working day."""

    wait_time = between(0.5, 1.5)

    def on_start(self):
        account = next(ACCOUNTS)
        page = self.client.get("/accounts/login/", name="sign-in")
        token = CSRF.search(page.text).group(1)
        done = self.client.post(
            "/accounts/login/",
            {
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": token,
            },
            name="sign-in",
            headers={"Referer": self.host + "/accounts/login/"},
        )
        # Administrators must pass the second factor: the code of the next time step (the
        # step of the enrolment is spent), from the account's own authenticator key.
        token = CSRF.search(done.text).group(1)
        code = TOTP(bytes.fromhex(account["totp_key"]), drift=1).token()
        verified = self.client.post(
            "/accounts/2fa/verify/",
            {"token": f"{code:06d}", "csrfmiddlewaretoken": token},
            name="sign-in",
            headers={"Referer": self.host + "/accounts/2fa/verify/"},
        )
        if "/accounts/" in verified.url:
            raise RuntimeError(f"sign-in of {account['username']} failed: {verified.url}")
        SIGNED_IN.append(account["username"])
        if "seconds" in CONFIG and len(SIGNED_IN) == CONFIG["users"]:
            all_signed_in(self.environment)

    @task(6)
    def member_list(self):
        query = {"q": random.choice(CONFIG["searches"]), **random.choice(CONFIG["filters"])}
        with self.client.get(
            "/members/", params=query, name="member list", catch_response=True
        ) as response:
            if response.status_code != 200 or "/accounts/" in response.url:
                response.failure(f"{response.status_code} {response.url}")

    @task(3)
    def member_detail(self):
        pk = random.choice(CONFIG["member_ids"])
        with self.client.get(
            f"/members/{pk}/", name="member detail", catch_response=True
        ) as response:
            if response.status_code != 200 or "/accounts/" in response.url:
                response.failure(f"{response.status_code} {response.url}")

    @task(1)
    def dashboard(self):
        with self.client.get("/stats/", name="dashboard", catch_response=True) as response:
            if response.status_code != 200 or "/accounts/" in response.url:
                response.failure(f"{response.status_code} {response.url}")

    @task(1)
    def statistics_api(self):
        with self.client.get("/api/stats/", name="statistics API", catch_response=True) as response:
            if response.status_code != 200 or "members" not in response.text:
                response.failure(f"{response.status_code}")
