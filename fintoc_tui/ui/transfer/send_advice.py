"""The words around sending: what a 401 means, and what a send that can be retried means.

Fintoc answers a refused signature or key with a code; the confirm screen
turns each into what to fix, here, instead of showing the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fintoc_tui.api.errors import FintocError, RateLimitError, ServerError

if TYPE_CHECKING:
    from fintoc_tui.api.errors import AuthenticationError


_JWS_ADVICE = {
    "missing_jws_signature_header": (
        "This request was not signed: add your JWS private key on the environment screen "
        "(press e), then send again."
    ),
    "invalid_jws_signature_header": (
        "Fintoc could not verify the signature with the public key it holds: upload this "
        "key pair's public key (environment screen, press e) to the Fintoc dashboard, or "
        "load the private key that matches the uploaded one."
    ),
    "missing_active_jws_public_key": (
        "Fintoc has no active JWS public key for this organisation: upload this key pair's "
        "public key (environment screen, press e) to the Fintoc dashboard."
    ),
    "invalid_jws_signature_algorithm": "The signature used the wrong algorithm (RS256 needed).",
    "invalid_jws_signature_timestamp_value": (
        "Fintoc says the signature's time is off: this computer's clock must be within "
        "two minutes of the real time. Fix the system clock, then send again."
    ),
    "invalid_jws_signature_timestamp_format": "The signature's timestamp was malformed.",
    "invalid_jws_signature_nonce": "The signature's nonce was malformed; send again.",
    "jws_nonce_already_used": "The signature was reused; send again (a fresh one is made).",
    "invalid_api_key": (
        "Fintoc refused the secret key: press e to set a valid one for this environment."
    ),
    "invalid_api_key_mode": (
        "The secret key is for the other mode (test vs live): press e to set the right one."
    ),
}


def auth_advice(error: AuthenticationError) -> str:
    """What to fix after a 401, by Fintoc's error code."""
    return _JWS_ADVICE.get(
        error.code or "",
        f"Fintoc refused the credentials ({error.message}). Press e to check them.",
    )


def retry_words(error: FintocError) -> tuple[tuple[str, str], str]:
    """What a retryable failure means: who got the request, and that nothing was made.

    A network error here never reached Fintoc (the client raises a bare one
    only then); a rate limit is Fintoc's own "not now" (it got the request
    and declined it); a server error (the client makes it "unknown" for a
    transfer) promises nothing either way.
    """
    same_key = (
        "Retry sends the same request with the same idempotency key, so it is never made twice."
    )
    if isinstance(error, RateLimitError):
        wait = f" about {error.retry_after:g} s" if error.retry_after else " a moment"
        return (
            ("Not sent yet: ", "bold $text-warning"),
            "Fintoc got the request and declined it for now (too many requests), so nothing "
            f"was made. Wait{wait}, then retry. {same_key}",
        )
    if isinstance(error, ServerError):
        return (("Not confirmed: ", "bold $text-warning"), f"{error.message} {same_key}")
    return (
        ("Not sent: ", "bold $text-error"),
        f"{error.message} Fintoc did not get the request, so nothing was made. {same_key}",
    )
