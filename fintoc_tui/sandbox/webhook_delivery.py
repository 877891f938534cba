"""Sending the webhook outbox: signed POSTs to loopback receivers, off the request path.

`WebhookDispatcher.deliver_due(now)` sends whatever is due once and returns
what happened; tests call it with a `ManualClock` and no thread. `start()`
runs it from a daemon thread every `poll_interval` seconds, which also
settles due transfers (the app otherwise settles them only when a request
comes in), so a transfer's event goes out even while no client is asking.

The store's lock is held only for the short reads and writes around each
POST, never during one, so a slow receiver delays other deliveries (one at a
time, at most `timeout` seconds each) but never an API request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fintoc_tui.clock import Clock
from fintoc_tui.sandbox import lifecycle, webhooks
from fintoc_tui.sandbox.events import SIGNATURE_HEADER, signature_header
from fintoc_tui.sandbox.store import SandboxStore

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_TIMEOUT", "DeliveryAttempt", "WebhookDispatcher", "describe_attempt"]

_log = logging.getLogger(__name__)

#: Seconds a receiver has to answer one delivery.
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One POST (or one delivery dropped unsent) and where it left the delivery."""

    event_id: str
    event_type: str
    endpoint_id: str
    url: str
    attempt: int
    status: int | None  # the receiver's HTTP status; None when there was no answer
    error: str | None
    state: str  # delivered | pending (will retry) | failed (gave up) | canceled
    retry_in: float | None


def describe_attempt(attempt: DeliveryAttempt) -> str:
    """One line for `fintoc-tui sandbox`'s output: event, endpoint, HTTP status, attempt."""
    outcome = f"HTTP {attempt.status}" if attempt.status is not None else (attempt.error or "")
    head = (
        f"webhook {attempt.event_type} → {attempt.url}: {outcome} "
        f"(attempt {attempt.attempt} of {webhooks.MAX_ATTEMPTS})"
    )
    if attempt.state == "pending" and attempt.retry_in is not None:
        return f"{head}; next try in {attempt.retry_in:g} s"
    if attempt.state == "failed":
        return f"{head}; gave up, the receiver never answered with a 2xx"
    if attempt.state == "canceled":
        return f"webhook {attempt.event_type} → {attempt.url}: not sent, {attempt.error}"
    return head


class WebhookDispatcher:
    """Delivers the outbox of `store`; `on_attempt` hears about every POST as it happens."""

    def __init__(
        self,
        store: SandboxStore,
        clock: Clock,
        *,
        settle_after: float | None = None,
        on_attempt: Callable[[DeliveryAttempt], None] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = 0.25,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.settle_after = settle_after
        self.on_attempt = on_attempt
        self.poll_interval = poll_interval
        self._transport = transport
        self._client: httpx.Client | None = None
        self._timeout = timeout
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _http(self) -> httpx.Client:
        """The HTTP client, made on the first delivery: httpx stays off the start-up path."""
        if self._client is None:
            import httpx

            # trust_env=False: no proxy from the environment between us and loopback.
            self._client = httpx.Client(
                timeout=self._timeout,
                follow_redirects=False,
                trust_env=False,
                transport=self._transport,
            )
        return self._client

    # -- one pass -------------------------------------------------------------------

    def deliver_due(self, now: float | None = None) -> list[DeliveryAttempt]:
        """Send every delivery due at `now` (default: the clock's time) once."""
        with self._lock:
            when = self.clock.time() if now is None else now
            done: list[DeliveryAttempt] = []
            for delivery in webhooks.due_deliveries(self.store, when):
                done.append(self._send(delivery, when))
            return done

    def _send(self, delivery: webhooks.Delivery, now: float) -> DeliveryAttempt:
        if not delivery.endpoint_enabled:
            reason = "the endpoint is disabled"
            webhooks.cancel(self.store, delivery, now=now, reason=reason)
            return self._report(delivery, None, reason, "canceled", None)
        headers = {
            "content-type": "application/json",
            "user-agent": "fintoc-tui-sandbox",
            SIGNATURE_HEADER: signature_header(delivery.body, delivery.secret, int(now)),
        }
        import httpx

        status: int | None = None
        error: str | None = None
        try:
            response = self._http().post(delivery.url, content=delivery.body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except httpx.TimeoutException:
            error = f"no answer within {self._timeout:g} s"
        except httpx.ConnectError:
            error = "could not connect (is your receiver listening?)"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        state = webhooks.record_attempt(self.store, delivery, now=now, status=status, error=error)
        retry = webhooks.retry_delay(delivery.attempt) if state == "pending" else None
        return self._report(delivery, status, error, state, retry)

    def _report(
        self,
        delivery: webhooks.Delivery,
        status: int | None,
        error: str | None,
        state: str,
        retry_in: float | None,
    ) -> DeliveryAttempt:
        attempt = DeliveryAttempt(
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            endpoint_id=delivery.endpoint_id,
            url=delivery.url,
            attempt=delivery.attempt,
            status=status,
            error=error,
            state=state,
            retry_in=retry_in,
        )
        if self.on_attempt is not None:
            self.on_attempt(attempt)
        return attempt

    # -- in the background ------------------------------------------------------------

    def start(self) -> WebhookDispatcher:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.poll_interval):
            try:
                if self.settle_after is not None:
                    lifecycle.settle_due(self.store, self.clock.time(), self.settle_after)
                self.deliver_due()
            except Exception:  # a bug must not stop deliveries for good
                if self._stop.is_set():
                    return  # the store was closed under us at shutdown
                _log.exception("webhook delivery pass failed; trying again")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=DEFAULT_TIMEOUT + 5)
            self._thread = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> WebhookDispatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
