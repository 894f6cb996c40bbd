"""Evidence files behind figures, kept in the database so app servers stay stateless.

``check_evidence`` reads an upload (size-limited, hashed) and decides its name and content
type before anything is stored; ``store_evidence`` adds it. The content type comes from an
allow-list and must agree with the file's first bytes where the format has a signature;
anything else is ``application/octet-stream`` and is only ever offered as a download.
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
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    XLSX: b"PK\x03\x04",
    "application/zip": b"PK\x03\x04",
}
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


def content_type_of(filename: str, head: bytes) -> str:
    """The allow-listed type for the name's extension, when the content agrees with it."""
    _, dot, extension = filename.lower().rpartition(".")
    content_type = CONTENT_TYPES.get("." + extension) if dot else None
    if content_type is None:
        return OCTET_STREAM
    signature = SIGNATURES.get(content_type)
    if signature is not None and not head.startswith(signature):
        return OCTET_STREAM
    return content_type


def check_evidence(
    stream: IO[bytes], filename: str | None, *, max_bytes: int, field: str = "evidence"
) -> EvidenceFile:
    """Read an uploaded file (at most ``max_bytes``) and decide its name and type."""
    name = clean_filename(filename)
    if not name:
        raise EvidenceRefused(_l("the file has no name"), field)
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
    return EvidenceFile(name, content_type_of(name, data[:16]), data, digest.hexdigest())


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
