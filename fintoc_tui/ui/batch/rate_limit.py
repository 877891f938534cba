"""Fintoc's 10 transfer requests a second, for the Batch screen: a token before each row is sent.

`fintoc-tui batch` puts `batch.ratelimit.RateLimitedTransport` under a client
of its own. The app has one client, shared by every screen and built once per
environment (`ui/shell/connection`); giving its httpx client a transport of
ours would also switch off httpx's `HTTPS_PROXY` support for the whole app.
So the Batch screen takes the token one step up, from the same `TokenBucket`
(no burst: no one-second window sees more than `rate` rows start), before
each row goes to the app's one money path (`TransferSubmitter.send`). The
client's own retries of a row back off exponentially and wait a `429`'s
`Retry-After`; a `429` that outlasts them holds the bucket for that long, so
no other row starts meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fintoc_tui.batch.ratelimit import TRANSFER_RATE_LIMIT, TokenBucket

if TYPE_CHECKING:
    from fintoc_tui.api.models import Transfer
    from fintoc_tui.api.submit import TransferSubmitter
    from fintoc_tui.journal import Journal, JournalEntry

__all__ = ["TRANSFER_RATE_LIMIT", "RateLimitedSubmitter"]


class RateLimitedSubmitter:
    """What `BatchRunner` needs of a submitter, with a token taken before every send."""

    def __init__(self, submitter: TransferSubmitter, bucket: TokenBucket | None = None) -> None:
        self.submitter = submitter
        self.bucket = bucket or TokenBucket(TRANSFER_RATE_LIMIT)
        self.rate_limited = 0
        """How many rows ended on a 429 (each held the bucket for its Retry-After)."""

    @property
    def journal(self) -> Journal:
        return self.submitter.journal

    @property
    def environment_name(self) -> str:
        return self.submitter.environment_name

    @property
    def client(self) -> Any:
        return self.submitter.client

    async def send(self, entry: JournalEntry) -> Transfer:
        from fintoc_tui.api.errors import RateLimitError

        await self.bucket.acquire()
        try:
            return await self.submitter.send(entry)
        except RateLimitError as error:
            self.rate_limited += 1
            self.bucket.hold(error.retry_after or 1.0)
            raise
