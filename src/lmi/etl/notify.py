"""Notifications of data operations: always logged; POSTed as JSON to a webhook when configured."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

__all__ = ["Notifier"]

log = logging.getLogger("lmi.runs")


@dataclass(frozen=True)
class Notifier:
    webhook_url: str | None = None
    timeout: float = 10.0
    #: no log line (throw-away runs, e.g. the scratch build of `lmi data check`)
    quiet: bool = False

    def notify(self, event: dict[str, Any]) -> bool:
        """Log ``event``; POST it to the webhook if any. True when every channel succeeded."""
        level = logging.INFO if event.get("status") == "succeeded" else logging.WARNING
        if self.quiet:
            level = logging.DEBUG
        log.log(
            level,
            "run %s %s %s: %s",
            event.get("run_id"),
            event.get("kind"),
            event.get("status"),
            event.get("message") or "",
        )
        if not self.webhook_url:
            return True
        return self._post(event)

    def _post(self, event: dict[str, Any]) -> bool:
        assert self.webhook_url is not None
        request = urllib.request.Request(
            self.webhook_url,
            data=json.dumps({"source": "lmi", **event}).encode(),
            headers={"Content-Type": "application/json", "User-Agent": "lmi"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("webhook %s failed: %s", self.webhook_url, exc)
            return False
        return True
