"""A reproducible RSA key pair from a seed, for snapshots and screenshots only.

Snapshot tests and `scripts/screenshots.py` show a JWS key's fingerprint, so
they need the same key on every run; committing a private PEM for that is
what the project forbids. Instead the key is derived at run time: two
1024-bit primes from `random.Random(seed)` and a Miller-Rabin test with
fixed bases. `cryptography` cannot generate RSA keys from a seed, hence this
small hand-written prime search. The output is a real 2048-bit RSA key, but
anyone can rebuild it from the seed: never sign anything real with it.
"""

from __future__ import annotations

import random
from functools import cache

_SMALL_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71)
_PUBLIC_EXPONENT = 65537


def _is_probable_prime(n: int, rng: random.Random, rounds: int = 40) -> bool:
    if n < 2:
        return False
    for p in (2, *_SMALL_PRIMES):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(rng: random.Random, bits: int) -> int:
    while True:
        # Top two bits set so p*q has exactly 2*bits bits; odd.
        candidate = rng.getrandbits(bits) | (0b11 << (bits - 2)) | 1
        if candidate % _PUBLIC_EXPONENT != 1 and _is_probable_prime(candidate, rng):
            return candidate


@cache
def deterministic_private_pem(seed: int = 7, bits: int = 2048) -> bytes:
    """The PKCS#8 PEM of an RSA key that is the same for the same seed, on every machine."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    rng = random.Random(f"fintoc-tui-demo-key-{seed}")
    p = _prime(rng, bits // 2)
    q = _prime(rng, bits // 2)
    while q == p:
        q = _prime(rng, bits // 2)
    if p < q:
        p, q = q, p
    d = pow(_PUBLIC_EXPONENT, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(_PUBLIC_EXPONENT, p * q),
    )
    key = numbers.private_key()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
