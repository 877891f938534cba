"""A minimal, valid one-page PDF of text lines, written by hand.

The sandbox's statements need a real PDF a person can open, and nothing
more: one page, Helvetica, a few lines. That is ~40 lines of the PDF format
(objects, a content stream, a cross-reference table with exact byte offsets),
so no PDF library joins the sandbox's dependencies for it. Text is limited to
Latin-1 (the standard font's WinAnsi encoding); anything else becomes `?`.
"""

from __future__ import annotations

from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
_LEFT, _TOP, _LEADING, _SIZE = 56, 736, 16, 11


def _escape(line: str) -> bytes:
    text = line.encode("latin-1", errors="replace")
    return text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: Sequence[str], *, title: str) -> bytes:
    """A PDF whose one page shows `lines`, top to bottom (the first one larger, as a heading)."""
    stream = bytearray(b"BT\n")
    stream += b"/F1 %d Tf %d %d Td %d TL\n" % (_SIZE + 3, _LEFT, _TOP, _LEADING)
    for index, line in enumerate(lines):
        if index == 1:
            stream += b"/F1 %d Tf\n" % _SIZE
        stream += b"(" + _escape(line) + b") Tj T*\n"
    stream += b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + bytes(stream) + b"endstream",
        b"<< /Title (" + _escape(title) + b") /Producer (fintoc-tui sandbox) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
