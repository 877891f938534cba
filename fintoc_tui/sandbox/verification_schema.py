"""The account verifications table, created on every store open (store.py).

A leaf module (no imports) so the store can create the table without
importing the verification logic, which itself needs the store.
"""

#: One row per `accv_…`. `status` and `transfer_id` are real columns so the
#: settle pass finds pending verifications whose 0.01 MXN transfer is final
#: without parsing JSON; `ts` (Unix seconds of `transaction_date`) serves `since`.
DDL = """
CREATE TABLE IF NOT EXISTS account_verifications (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    transfer_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    ts INTEGER NOT NULL,
    data TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS account_verifications_pending ON account_verifications (transfer_id)
    WHERE status = 'pending'
"""
