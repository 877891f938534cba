"""Batch payouts from a CSV file, with no Textual: read, validate, preview, send, resume.

- `csvfile`: the documented columns, read once and hashed (`read_batch`).
- `validate`: every row checked as the transfer form checks it, plus what
  only a whole file can get wrong (duplicates, Chile's once-a-day rule, totals
  against each account's balance); every problem by row and column.
- `preview`: counts and totals per currency and bank, the largest payments.
- `state`: the batch's own SQLite file beside the results, keyed by the file's
  hash: each row's idempotency key and outcome, so a run killed at any point
  resumes and pays every row exactly once.
- `ratelimit`: a token bucket under the HTTP client (Fintoc allows 10 transfer
  requests per second) that honours `429 Retry-After`.
- `runner`: journals every row, sends, resolves unknown outcomes, follows
  statuses; progress by callback, pause by an `asyncio.Event`.
- `results`: the results CSV, rewritten atomically as statuses settle.

`fintoc-tui batch` (commands/batch.py) and the TUI's Batch screen drive these.
"""
