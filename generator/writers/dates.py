"""The document's fixed date, which every writer prints instead of the time of rendering."""

from __future__ import annotations

from datetime import UTC, datetime

from generator.compose.tree import Document
from generator.errors import RenderError


def document_date(doc: Document) -> datetime:
    """`Document.created` in UTC (a date without zone is taken as UTC)."""
    try:
        created = datetime.fromisoformat(doc.created)
    except ValueError as exc:
        raise RenderError(f"文档日期格式错误：{doc.created}",
                          f"bad document date (ISO 8601 expected): {doc.created}") from exc
    return created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
