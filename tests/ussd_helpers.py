"""A feature phone dialling the USSD code: each answer is appended to ``text``."""
from __future__ import annotations

import itertools
import re

_sessions = itertools.count(1)


class UssdPhone:
    def __init__(self, client, number: str, path: str = "/ussd"):
        self.client, self.number, self.path = client, number, path
        self.dial()

    def dial(self) -> None:
        """A new session (a new sessionId, no input yet)."""
        self.session, self.inputs = f"ATUid_{next(_sessions)}", []

    def post(self, text: str, **extra):
        form = {"sessionId": self.session, "serviceCode": "*123#", "phoneNumber": self.number, "networkCode": "52001", "text": text, **extra}
        return self.client.post(self.path, data=form)

    def send(self, key: str | None = None) -> str:
        """Press ``key`` (None: the first request); the response text (``CON …``/``END …``)."""
        if key is not None:
            self.inputs.append(key)
        response = self.post("*".join(self.inputs))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/plain"
        return response.get_data(as_text=True)


def pick(screen: str, label: str) -> str:
    """The number of the option whose label contains ``label``."""
    for match in re.finditer(r"(?:^|\s)(\d+)\.([^\n]+)", screen):
        if label in match.group(2):
            return match.group(1)
    raise AssertionError(f"{label!r} not on screen:\n{screen}")
