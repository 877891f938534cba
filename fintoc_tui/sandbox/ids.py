"""Fintoc-shaped ids (prefix + 27 base62 chars) drawn from a seeded RNG.

Deterministic on purpose: the seed draws the seeded objects' ids from the seed's
RNG, and objects made at run time draw theirs from an RNG keyed by the seed, the
prefix and a per-prefix counter kept in the store, so the same seed and the same
requests give the same ids across runs and restarts.
"""

from __future__ import annotations

import random
import string

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ID_LENGTH = 27


# Bytes 0-247 map evenly onto base62 (248 = 4 x 62); the few bytes above are
# folded in too, a slight bias that is harmless for ids and keeps this a single
# C-level translate, which matters when seeding 100,000 transfers.
_TABLE = bytes(ord(BASE62[b % 62]) for b in range(256))


def new_id(prefix: str, rng: random.Random) -> str:
    """`prefix_` + 27 base62 characters, e.g. `tr_2vF18OHZdXXxPJTLJ5qghpo1pdU`."""
    return f"{prefix}_{rng.randbytes(ID_LENGTH).translate(_TABLE).decode()}"


def runtime_rng(seed: int | str, prefix: str, counter: int) -> random.Random:
    """The RNG for the `counter`-th object of this kind made after seeding."""
    return random.Random(f"{seed}:{prefix}:{counter}")
