"""The Jinja side of composing: where templates live and what they are given.

Templates come from the input's format pack (generator.packs), looked up per edition and
kind: <pack>/{edition}/{kind}/, then <pack>/{edition}/, then <pack>/common/, so a finance
bureau can override one file. User text reaches templates only as variable values: it is
printed, never evaluated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from pathlib import Path

import jinja2

from generator.compose.punctuation import full_width
from generator.compose.tree import Table
from generator.derive.figures import Figures
from generator.kept import cache_folder
from generator.model.codes import chinese_number
from generator.model.schema import BudgetInput
from generator.money import text_amount, text_percent, wan, yuan_amount
from generator.packs import form_of


def paragraphs(value: list[str] | None) -> list[str]:
    """Free text as paragraphs (already one line each: see generator.model.text), with
    full-width punctuation between Chinese characters (see `punctuation`)."""
    return [full_width(p) for p in value or []]


def strip_stop(value: str | None) -> str:
    """Reasons are inserted without their trailing 。 (the template punctuates)."""
    return (value or "").strip().rstrip("。.；;，, ")


def plain_number(value: object) -> str:
    """A measured quantity as written, without exponent or trailing zeros: 1e3 → 1000."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Templates compiled by an earlier run, kept in the cache folder (generator.kept):
    compiling them again took 50 ms per command. Jinja keys them by template source only,
    so the name also holds this module's source, which sets the environment's options, and
    Jinja's version: a template compiled under other options is never reused."""
    folder = cache_folder()
    if folder is None:
        return None
    fingerprint = hashlib.sha1(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()
    return _KeptTemplates(str(folder), pattern=f"__budgetgen_{fingerprint[:16]}_%s.cache")


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """A compiled template that cannot be read or kept (the folder removed meanwhile, as a
    cleaner of temporary folders may do under a long-running workbench; a full disk) is
    compiled again, not an error: Jinja's own cache raises there."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def template_context(data: BudgetInput, figures: Figures,
                     built: dict[str, tuple[Table, bool]]) -> dict[str, object]:
    doc = data.document
    return {
        "data": data,
        "f": figures,
        "name": doc.name,
        "name_plain": doc.plain_name,
        "kind": doc.kind,
        "year": doc.year,
        "prior": doc.year - 1,
        "city": doc.city,
        "edition": doc.resolved_edition,
        "form": form_of(data),
        "words": form_of(data).words,
        "tables": form_of(data).table_specs(doc.year),
        "empty": {key: empty for key, (_, empty) in built.items()},
        "units": data.units,
        "list_units": data.overview.list_units if data.overview.list_units is not None
        else doc.kind == "部门" and len(data.units) > 1,
        "paragraphs": paragraphs,
        "sh": figures.format_figures,
    }


def _zero(data: BudgetInput) -> str:
    return data.style.zero_amount or form_of(data).words.get("zero_amount", "0")


def amount_text(data: BudgetInput) -> Callable[[Decimal], str]:
    """An amount as the running text prints it (the `amt` filter; the charts too)."""
    zero, thousands = _zero(data), data.style.thousands
    return lambda v: text_amount(v, zero=zero, thousands=thousands)


def environment(data: BudgetInput) -> jinja2.Environment:
    doc = data.document
    form = form_of(data)
    style = data.style
    zero = _zero(data)
    zero_pct = style.zero_percent or ("0.00%" if zero == "0.00" else "0%")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(form.template_dirs(doc.kind)),
        autoescape=False,  # the output is a line protocol, not markup; see compose.document
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        amt=amount_text(data),
        pct=lambda v: text_percent(v, zero=zero_pct),
        yuan=yuan_amount,
        wan=wan,
        number=plain_number,
        cn=chinese_number,
        paras=paragraphs,
        reason=strip_stop,
    )
    return env
