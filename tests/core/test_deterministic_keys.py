from fintoc_tui.api.jws import JWSSigner, JWSVerifier, fingerprint, public_pem_from_private
from fintoc_tui.clock import SystemClock
from fintoc_tui.testing.deterministic_keys import deterministic_private_pem


def test_same_seed_same_key_and_a_different_seed_differs():
    assert deterministic_private_pem(7) == deterministic_private_pem(7)
    assert deterministic_private_pem(7) != deterministic_private_pem(8)


def test_the_key_is_a_real_2048_bit_rsa_key_that_signs_and_verifies():
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    pem = deterministic_private_pem(7)
    key = load_pem_private_key(pem, password=None)
    assert key.key_size == 2048
    public = public_pem_from_private(pem)
    header = JWSSigner.from_pem(pem).sign(b'{"amount":1}')
    JWSVerifier([public], SystemClock()).verify(header, b'{"amount":1}')
    assert fingerprint(public).startswith("SHA256:")
