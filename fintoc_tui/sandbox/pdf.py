"""A one-page PDF of plain text lines: what the sandbox serves as a transfer receipt.

Hand-written (about fifty lines of PDF 1.4) rather than a library: no PDF
library is a dependency, the page is a title and a few lines in a standard
font, and a real receipt is Banxico's CEP, not something the sandbox can make.
The file is valid PDF: a catalog, one page, Helvetica (a standard font that
needs no embedding), its text as WinAnsi strings, and an exact `xref` table.
"""

from __future__ import annotations

from collections.abc import Sequence

_PAGE_WIDTH, _PAGE_HEIGHT = 595, 842  # A4 in points
_LEFT, _TOP = 56, 770
_LINE_HEIGHT = 16


def _pdf_string(text: str) -> bytes:
    """A PDF literal string: WinAnsi (cp1252) bytes, `\\ ( )` escaped, unknown characters as `?`."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(title: str, lines: Sequence[str]) -> bytes:
    """The PDF bytes of one page with `title` in bold and `lines` below it."""
    content = [b"BT", f"/F2 16 Tf {_LEFT} {_TOP} Td".encode(), _pdf_string(title) + b" Tj"]
    content.append(f"/F1 11 Tf 0 -{2 * _LINE_HEIGHT} Td".encode())
    for index, line in enumerate(lines):
        if index:
            content.append(f"0 -{_LINE_HEIGHT} Td".encode())
        content.append(_pdf_string(line) + b" Tj")
    content.append(b"ET")
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_PAGE_WIDTH} {_PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # the binary comment marks it as binary
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
