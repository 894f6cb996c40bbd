"""The audit log: every insert, update and delete of a domain object, by one mechanism.

A listener on every ORM flush writes one entry per changed object, in the same transaction,
as a hash chain: each entry's hash covers its content and the previous entry's hash. Writers
take the single ``audit_head`` row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite allows
one writer at a time anyway), so concurrent requests still form one chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, event, insert, inspect, select, update
from sqlalchemy.orm import Session, attributes

from contracts.db import listen_bulk_inserts, utcnow
from portal.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
HASHED_COLUMNS = ("seq", "at", "actor_user_id", "actor", "entity", "entity_id", "action", "changes")
REDACTED_FIELDS = frozenset({"password_hash", "token_hash", "data"})
NOT_AUDITED = (AuditEntry, AuditHead)


@dataclass(frozen=True)
class Actor:
    """Who writes: a user on the web, a token on the API, or a CLI command."""

    label: str
    user_id: int | None = None


SYSTEM = Actor("system")


def set_actor(session: Session, actor: Actor) -> None:
    session.info["audit_actor"] = actor


def current_actor(session: Session) -> Actor:
    return session.info.get("audit_actor", SYSTEM)


def _plain(value: Any) -> Any:
    """A JSON-safe, canonical form of a column value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def _key_of(obj: Any) -> Any:
    for name in ("ref", "code", "email"):
        if hasattr(obj, name):
            return getattr(obj, name)
    return inspect(obj).identity[0] if inspect(obj).identity else None


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if action == "update":
            history = state.attrs[name].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
        else:
            value = state.dict.get(name)
            before, after = (None, value) if action == "insert" else (value, None)
            if before is None and after is None:
                continue
        if name in REDACTED_FIELDS:
            before, after = ("***" if before else before), ("***" if after else after)
        changes[name] = [_plain(before), _plain(after)]
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        history = attributes.get_history(obj, rel.key, passive=attributes.PASSIVE_NO_INITIALIZE)
        if not history.has_changes():
            continue
        before = [_key_of(item) for item in (history.unchanged or []) + (history.deleted or [])]
        after = [_key_of(item) for item in (history.unchanged or []) + (history.added or [])]
        changes[rel.key] = [sorted(map(str, before)), sorted(map(str, after))]
    return changes


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 over the entry's canonical content, including the previous entry's hash."""
    content = {
        "seq": entry["seq"],
        "at": entry["at"].isoformat(timespec="microseconds"),
        "actor_user_id": entry["actor_user_id"],
        "actor": entry["actor"],
        "entity": entry["entity"],
        "entity_id": entry["entity_id"],
        "action": entry["action"],
        "changes": entry["changes"],
        "prev_hash": entry["prev_hash"],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _pending_records(session: Session) -> list[tuple[str, str, str, dict[str, list[Any]]]]:
    records = []
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, NOT_AUDITED):
                continue
            if action == "update" and not session.is_modified(obj):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            mapper = inspect(obj).mapper
            entity_id = ":".join(str(part) for part in mapper.primary_key_from_instance(obj))
            records.append((mapper.local_table.name, entity_id, action, changes))
    records.sort(key=lambda record: (record[0], record[1], record[2]))
    return records


def append(session: Session, records: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Append entries for ``records`` (entity, entity_id, action, changes) to the chain.

    Also the path for bulk writes that bypass the ORM's unit of work.
    """
    if not records:
        return
    connection = session.connection()
    head_table = AuditHead.__table__
    head = connection.execute(
        select(head_table.c.seq, head_table.c.hash).where(head_table.c.id == 1).with_for_update()
    ).first()
    if head is None:
        connection.execute(insert(head_table).values(id=1, seq=0, hash=GENESIS))
        seq, last_hash = 0, GENESIS
    else:
        seq, last_hash = head
    actor = current_actor(session)
    at = utcnow()
    rows = []
    for entity, entity_id, action, changes in records:
        seq += 1
        row = {
            "seq": seq,
            "at": at,
            "actor_user_id": actor.user_id,
            "actor": actor.label,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "changes": changes,
            "prev_hash": last_hash,
        }
        row["hash"] = last_hash = entry_hash(row)
        rows.append(row)
    connection.execute(insert(AuditEntry.__table__), rows)
    connection.execute(
        update(head_table).where(head_table.c.id == 1).values(seq=seq, hash=last_hash)
    )


def _after_flush(session: Session, flush_context: Any) -> None:
    append(session, _pending_records(session))


def _after_bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """The entries a flush would have written for the same rows: every column with a value."""
    keys = [column.key for column in table.columns]
    redacted = REDACTED_FIELDS.intersection(keys)
    records = []
    for row in rows:
        changes = {
            key: [None, "***" if key in redacted else _plain(row[key])]
            for key in keys
            if row.get(key) is not None
        }
        records.append((table.name, str(row["id"]), "insert", changes))
    append(session, records)


def install() -> None:
    """Record every flush of every ORM session, and every bulk insert (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    listen_bulk_inserts(_after_bulk_insert)


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problem: str | None = None
    seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(session: Session) -> Generator[AuditEntry, None, None]:
    # Streamed in batches; closed even when the walk stops early at a broken entry.
    result = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    )
    try:
        yield from result
    finally:
        result.close()


def verify(session: Session) -> VerifyResult:
    """Walk the chain; name the first entry that was altered or removed."""
    expected_seq, last_hash, checked = 1, GENESIS, 0
    entries = _entries(session)
    try:
        for entry in entries:
            if entry.seq != expected_seq:
                return VerifyResult(checked, "missing", expected_seq)
            row = {column: getattr(entry, column) for column in HASHED_COLUMNS}
            row["prev_hash"] = last_hash
            if entry.prev_hash != last_hash or entry_hash(row) != entry.hash:
                return VerifyResult(checked, "altered", entry.seq)
            last_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    finally:
        entries.close()
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != last_hash):
        if head.seq >= expected_seq:
            return VerifyResult(checked, "missing", expected_seq)
        return VerifyResult(checked, "altered", head.seq)
    return VerifyResult(checked)
