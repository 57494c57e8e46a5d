"""The text layer of a PDF (pypdf); a scanned PDF has none and is refused with a reason the reader can act on."""

from __future__ import annotations

import re
from pathlib import Path


class UnreadableDocument(ValueError):
    """A document the importer cannot read; `code` names the message in the locale catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = {key: str(value) for key, value in params.items()}


def pdf_text(path: Path) -> str:
    """The pages' text, one after the other (a sentence broken by a page is mended like a hard wrap)."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    letters = sum(len(re.findall(r"[^\W\d_]", page)) for page in pages)
    if letters < 40 * max(1, len(pages)) // 2:
        raise UnreadableDocument("import.scanned_pdf", pages=len(pages))  # images of pages, no text to read
    return "\n".join(pages)
