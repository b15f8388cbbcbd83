"""The locust users of bench.load: residents on the public pages and grid leaders on the dashboard.

Run by bench.load (`make bench-load`), which passes what the users need in LINLI_LOAD (JSON): the grid
leader logins, their password, tracking codes to look up and the share of grid leaders.

Every request carries an X-Forwarded-For address of its own "resident", as the proxy in front of gunicorn
writes it in production, and the server trusts loopback as that proxy (bench.load sets TRUSTED_PROXIES):
the per-address limits (petitions.antispam: 10 submits an hour per address) then count real residents, as
they do behind nginx, instead of counting all 200 users as one address and refusing them after ten. A
resident who has submitted moves on to a new address, as the next resident would come from another phone.
The form is filled as a person fills it: the arithmetic question read from the page and answered, the
honeypot left empty, and at least PETITION_FORM_MIN_SECONDS (3 s) between the form and its submit.
"""

import ipaddress
import itertools
import json
import os
import random
import re

import gevent
from locust import FastHttpUser, between, events, task

CONFIG = json.loads(os.environ.get("LINLI_LOAD", "{}"))
WAIT = CONFIG.get("wait", [1.0, 3.0])
FILL_SECONDS = CONFIG.get("fill", [3.5, 6.0])

QUESTION = re.compile(r"(\d+) \+ (\d+) = \?")
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|captcha_token|photo_key)" value="([^"]*)"')
SELECT = re.compile(r'<select name="(category|community)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
TRACK = re.compile(r"/petitions/track/([A-Za-z0-9-]+)/$")

DESCRIPTIONS = [
    "楼道灯坏了，晚上看不清台阶，请尽快维修。",
    "小区门口的垃圾桶满了好几天，没人清运。",
    "三楼水管漏水，墙面已经发霉。",
    "希望社区组织一次老年人智能手机使用培训。",
]

# One address per simulated resident, from a random start in 10.0.0.0/8 so that two runs within the
# limits' hour do not meet each other's counts.
_addresses = itertools.count(random.randrange(1, 1 << 23))


def next_address():
    return str(ipaddress.IPv4Address((10 << 24) + next(_addresses) % (1 << 24)))


class Visitor(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        self.address = next_address()

    def get(self, path, name, **kwargs):
        return self.client.get(path, name=name, headers={"X-Forwarded-For": self.address}, **kwargs)

    def page(self, path, name):
        """A page that must answer 200 itself: a redirect (to the login, say) is a failure too, and so is no
        answer within locust's 60 s network timeout (status 0)."""
        with self.get(path, name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{name} answered {answer.status_code or answer.error}")
            return answer

    def post(self, path, name, data, **kwargs):
        headers = {"X-Forwarded-For": self.address, "Referer": self.host + path}
        return self.client.post(path, name=name, data=data, headers=headers, **kwargs)


class Resident(Visitor):
    weight = max(0, 100 - CONFIG.get("leaders_percent", 20))

    @task(4)
    def board(self):
        self.page("/petitions/", "board")

    @task(2)
    def form(self):
        self.page("/petitions/new/", "form")

    @task(2)
    def track(self):
        codes = CONFIG.get("codes") or []
        if codes:
            self.page(f"/petitions/track/{random.choice(codes)}/", "track")

    @task(1)
    def submit(self):
        with self.get("/petitions/new/", "form", allow_redirects=False, catch_response=True) as answer:
            fields = parse_form(answer.text or "") if answer.status_code == 200 else None
            if fields is None:
                answer.failure(f"the form answered {answer.status_code or answer.error} without its fields")
                return
        # The resident types (not a request, so inside the task): at least the form's minimum fill time.
        gevent.sleep(random.uniform(*FILL_SECONDS))
        with self.post(
            "/petitions/new/", "submit", fields, allow_redirects=False, catch_response=True
        ) as sent:
            location = sent.headers.get("Location", "") if sent.status_code == 302 else ""
            if not TRACK.search(location):
                sent.failure(f"submit answered {sent.status_code or sent.error}, not a redirect to tracking")
                return
        self.page(location, "track (own, just sent)")
        self.address = next_address()


def parse_form(html):
    hidden = dict(HIDDEN.findall(html))
    question = QUESTION.search(html)
    selects = {name: OPTION.findall(body) for name, body in SELECT.findall(html)}
    if not question or len(hidden) < 3 or not selects.get("category") or not selects.get("community"):
        return None
    return {
        **hidden,
        "kind": "request",
        "category": random.choice(selects["category"]),
        "community": random.choice(selects["community"]),
        "location_text": "",
        "description": random.choice(DESCRIPTIONS),
        "name": "",
        "phone": "",
        "phone_code": "",
        "captcha_answer": str(int(question.group(1)) + int(question.group(2))),
        "website": "",
        "submit": "1",
    }


class GridLeader(Visitor):
    weight = CONFIG.get("leaders_percent", 20)
    _logins = itertools.cycle(CONFIG.get("leaders") or ["d_gridleader"])

    def on_start(self):
        super().on_start()
        username = next(self._logins)
        page = self.get("/accounts/login/", "login page")
        token = dict(HIDDEN.findall(page.text or "")).get("csrfmiddlewaretoken", "")
        data = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": CONFIG.get("password", ""),
            "next": "/dashboard/",
        }
        with self.post("/accounts/login/", "login", data, allow_redirects=False, catch_response=True) as done:
            if done.status_code != 302:
                done.failure(f"login as {username} answered {done.status_code or done.error}")

    @task(2)
    def home(self):
        self.page("/dashboard/", "dashboard home")

    @task(1)
    def items(self):
        self.page("/dashboard/items/", "dashboard items")


@events.quitting.add_listener
def _exit_code(environment, **_kwargs):
    # bench.load reads the figures from the CSV files; a failed request makes the run fail.
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
