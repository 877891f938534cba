"""Made-up senders of simulated inbound transfers, as Fintoc's test mode makes them.

Fintoc fills a simulated transfer's counterparty with fake data when none is
given (additions §1.5): an RFC-like `holder_id`, a made-up name, and a CLABE
of another bank with a valid check digit whose prefix matches the institution
(`680969…` → 90680). The sandbox does the same, deterministically: the sender
of the n-th simulation is drawn from an RNG keyed by the seed and n.
"""

from __future__ import annotations

import string
from typing import Any

from fintoc_tui import banking
from fintoc_tui.sandbox.ids import runtime_rng

#: Banks whose CLABEs the made-up senders use (the first four are the ones seen
#: in Fintoc's recorded test traffic: Cristobal Colon, Cuenca, JP Morgan, CI Bolsa).
SENDER_BANKS = ("680", "723", "110", "631", "012", "002", "014", "072", "021", "044", "127")

_FIRST = ("Adriana", "Carlos", "Lucía", "Miguel", "Fernanda", "Jorge", "Valeria", "Diego")
_LAST = ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Sánchez", "Ramírez")
_CL_FIRST = ("Camila", "Matías", "Josefa", "Benjamín", "Antonia", "Vicente", "Isidora", "Tomás")
_CL_LAST = ("Muñoz", "Rojas", "Díaz", "Soto", "Contreras", "Silva", "Morales", "Fuentes")


def made_up_sender(currency: str, seed: int | str, counter: int) -> dict[str, Any]:
    """The counterparty of the `counter`-th simulated inbound transfer when none is given."""
    rng = runtime_rng(seed, "sender", counter)
    if currency == "MXN":
        last, first = rng.choice(_LAST), rng.choice(_FIRST)
        # An RFC of a person: 4 letters, birth date YYMMDD, a 3-character homoclave.
        letters = (last[0] + "AEIOU"[rng.randrange(5)] + rng.choice(_LAST)[0] + first[0]).upper()
        born = f"{rng.randrange(50, 100):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        homoclave = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(3))
        number = banking.make_clabe(
            rng.choice(SENDER_BANKS), "969", f"{rng.randrange(10**11):011d}"
        )
        return {
            "account_number": number,
            "holder_name": f"{first} {last}",
            "holder_id": _ascii(letters) + born + homoclave,
            "account_type": "clabe",
            "institution_id": None,
        }
    return {
        "account_number": str(rng.randrange(10**7, 10**12)),
        "holder_name": f"{rng.choice(_CL_FIRST)} {rng.choice(_CL_LAST)}",
        "holder_id": banking.make_rut(rng.randrange(5_000_000, 25_000_000)),
        "account_type": rng.choice(sorted(banking.CL_ACCOUNT_TYPES)),
        "institution_id": rng.choice(sorted(banking.CL_INSTITUTIONS)),
    }


def _ascii(text: str) -> str:
    """RFCs spell names without accents."""
    return text.translate(str.maketrans("ÁÉÍÓÚÑ", "AEIOUX"))
