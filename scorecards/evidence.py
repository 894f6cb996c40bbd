"""Evidence files behind figures, kept in the database so app servers stay stateless.

``check_evidence`` reads an upload (size-limited, hashed) and decides its name and content
type before anything is stored; ``store_evidence`` adds it. Only the allow-listed types are
accepted, and only when the file's first bytes agree with its name: a signature for PDF, PNG,
JPEG, XLSX and ZIP, no NUL bytes in CSV and TXT (UTF-16 text with its BOM excepted). Anything
else is refused. Files stored before that rule are served as ``application/octet-stream``, only
ever as a download.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from contracts.errors import DomainError
from contracts.values import format_decimal
from scorecards.models import Evidence

OCTET_STREAM = "application/octet-stream"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": XLSX,
    ".zip": "application/zip",
}
ACCEPTED = "PDF, PNG, JPEG, CSV, XLSX, TXT or ZIP"  # as the upload form says
# What each type is called in a refusal: the extension people know it by.
KINDS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "text/csv": "CSV",
    "text/plain": "TXT",
    XLSX: "XLSX",
    "application/zip": "ZIP",
}
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    XLSX: (b"PK\x03\x04",),
    "application/zip": (b"PK\x03\x04", b"PK\x05\x06"),  # the latter: an empty archive
}
TEXT_TYPES = frozenset({"text/csv", "text/plain"})
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SNIFF = 1024  # bytes of a file read to decide its type
# Shown in the browser; every other type (and anything unknown) is a download.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})
MAX_NAME = 255
CHUNK = 64 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"*/:<>?\\|]')


class EvidenceRefused(DomainError):
    """An evidence file that is not stored; ``field`` names the form field."""


@dataclass(frozen=True)
class EvidenceFile:
    filename: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def clean_filename(raw: str | None) -> str:
    """The file's own name, without any folder, control or reserved characters (keeps 中文)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        keep = extension[:16] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(keep) - 1] + ("." + keep if keep else "")
    return name


def _named_type(filename: str) -> str | None:
    _, dot, extension = filename.lower().rpartition(".")
    return CONTENT_TYPES.get("." + extension) if dot else None


def _content_agrees(content_type: str, head: bytes) -> bool:
    if content_type in TEXT_TYPES:
        # A program or archive renamed .txt has NUL bytes at once; text has none.
        return head.startswith(UTF16_BOMS) or b"\x00" not in head
    return head.startswith(SIGNATURES[content_type])


def content_type_of(filename: str, head: bytes) -> str:
    """The allow-listed type for the name's extension, when the content agrees with it
    (``application/octet-stream`` otherwise)."""
    content_type = _named_type(filename)
    if content_type is None or not _content_agrees(content_type, head):
        return OCTET_STREAM
    return content_type


def _refusal(filename: str) -> object:
    content_type = _named_type(filename)
    if content_type is None:
        return _l("%(name)s is not an accepted type: use %(types)s", name=filename, types=ACCEPTED)
    return _l(
        "%(name)s is not really %(kind)s: its content does not match its name",
        name=filename,
        kind=KINDS[content_type],
    )


def check_evidence(
    stream: IO[bytes], filename: str | None, *, max_bytes: int, field: str = "evidence"
) -> EvidenceFile:
    """Read an uploaded file (at most ``max_bytes``) and decide its name and type; refuse
    any type but the allow-listed ones, and a file whose content disagrees with its name."""
    name = clean_filename(filename)
    if not name:
        raise EvidenceRefused(_l("the file has no name"), field)
    if _named_type(name) is None:  # refused before reading the file at all
        raise EvidenceRefused(_refusal(name), field)
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise EvidenceRefused(
                _l("the file is larger than the limit of %(limit)s", limit=human_size(max_bytes)),
                field,
            )
        digest.update(chunk)
        chunks.append(chunk)
    if size == 0:
        raise EvidenceRefused(_l("the file is empty"), field)
    data = b"".join(chunks)
    content_type = content_type_of(name, data[:SNIFF])
    if content_type == OCTET_STREAM:
        raise EvidenceRefused(_refusal(name), field)
    return EvidenceFile(name, content_type, data, digest.hexdigest())


def store_evidence(
    session: Session, upload: EvidenceFile, *, user_id: int | None, now: datetime
) -> Evidence:
    """Add a checked file; flushes (for its id), never commits."""
    evidence = Evidence(
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        data=upload.data,
        uploaded_at=now,
        uploaded_by_id=user_id,
    )
    session.add(evidence)
    session.flush()
    return evidence


def served_type(evidence: Evidence) -> tuple[str, bool]:
    """The content type to serve a stored file with, and whether to show it inline."""
    content_type = evidence.content_type
    if content_type not in CONTENT_TYPES.values():
        return OCTET_STREAM, False
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    return content_type, evidence.content_type in INLINE_TYPES


def human_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(round(Decimal(size) / factor, 1))} {unit}"
    return f"{size} B"
