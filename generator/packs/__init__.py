"""Format packs: everything that is a province's form, none of it code (docs/format-packs.md).

A pack is a folder: `pack.yaml` (structure, tables, labels, words, checks, required facts,
per-edition changes) and the Jinja templates of its wording in `common/`, `<edition>/` and
`<edition>/<kind>/`. The packs shipped with budgetgen live next to this file, one folder
per format; more are found through $BUDGETGEN_FORMAT_PACKS (folders separated by the
system's path separator, which `--format-pack DIR` extends) and $BUDGETGEN_TEMPLATES (a
pack folder, or, as before packs, a folder of templates searched before the pack's own).
An input names its format (`document.format`, default shanxi) and may name an edition.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.errors import UsageError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10× faster than pure Python

BUILTIN = Path(__file__).resolve().parent
DEFAULT_FORMAT = "shanxi"
PACKS_ENV = "BUDGETGEN_FORMAT_PACKS"
TEMPLATES_ENV = "BUDGETGEN_TEMPLATES"
PACK_FILE = "pack.yaml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
PAGE_NUMBER_SLOT = "{n}"  # where `words.page_number` puts the number
REQUIRED_WORDS = ("draft_mark", "page_number")  # words every pack and edition must give
TOC_LEVELS = (1, 2, 3)  # the levels of a 目录 entry (a template's h1 … h3 lines)


class PackError(UsageError):
    """A format that cannot be found, or a pack that does not hold what it must."""


def fill(text: str, **values: object) -> str:
    """A pack string with its {year}, {prior} … placeholders filled; others stay as written."""
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


def _merge(base: Any, change: Any) -> Any:
    """`change` over `base`: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(change, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in change.items()}}
    return change


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableSpec:
    """One budget table of a form: what the pack says about it."""

    key: str
    title: str  # with {year} filled in by the caller (`Form.table_title`)
    builder: str
    params: Mapping[str, Any]
    header: tuple[tuple[HeaderCell, ...], ...]
    widths: tuple[float, ...]  # as written: relative preferences, see compose.layout
    font_size: float | None
    labels: Mapping[str, Any]
    unit: str
    empty_note: str


def _cell(value: object, where: str) -> HeaderCell:
    if isinstance(value, str | int | float):
        return HeaderCell(str(value))
    if isinstance(value, dict) and "text" in value:
        return HeaderCell(str(value["text"]), int(value.get("colspan", 1)), int(value.get("rowspan", 1)))
    raise PackError(f"格式包表头单元格无法识别：{where}", f"a header cell of the pack is not text or "
                    f"{{text, colspan, rowspan}}: {where}")


@dataclass(frozen=True, eq=False)  # one object per (pack, edition): see `_form`
class Form:
    """One edition of one pack: the pack's keys with the edition's changes merged in."""

    pack: Pack
    edition: int
    raw: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @property
    def words(self) -> Mapping[str, str]:
        return self.raw.get("words", {})

    @property
    def draft_mark(self) -> str:
        """What a draft prints on every page (`words.draft_mark`; `load_pack` requires it)."""
        return str(self.words["draft_mark"])

    @property
    def page_number(self) -> tuple[str, str]:
        """The footer's texts before and after the page number (`words.page_number`, e.g.
        "— {n} —"; `load_pack` requires it, with one {n})."""
        before, _, after = str(self.words["page_number"]).partition(PAGE_NUMBER_SLOT)
        return before, after

    @property
    def tables(self) -> dict[str, TableSpec]:
        return _tables(self)

    def table_specs(self, year: int) -> dict[str, TableSpec]:
        """The tables with their placeholders filled for `year`."""
        return {key: _filled(spec, year) for key, spec in self.tables.items()}

    @property
    def requires(self) -> tuple[str, ...]:
        return tuple(self.raw.get("requires") or ())

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(self.raw.get("checks") or ())

    def check_param(self, check: str, name: str, default: Any) -> Any:
        """A parameter the pack gives a check (`check_params`), or `default`."""
        return (self.raw.get("check_params") or {}).get(check, {}).get(name, default)

    @property
    def parts(self) -> tuple[Mapping[str, str], ...]:
        return tuple(self.raw.get("parts") or ())

    @property
    def bold_toc_levels(self) -> frozenset[int]:
        """The heading levels whose 目录 entries are bold (`bold.toc_levels`; none by default)."""
        levels = self._bold("toc_levels", [])
        if not isinstance(levels, list) or not all(type(x) is int and x in TOC_LEVELS for x in levels):
            raise PackError(f"格式包 {self.pack.name} 的 bold.toc_levels 应为标题级别（1–3）的列表（如 [1]）：{levels!r}",
                            f"bold.toc_levels of pack {self.pack.name} must be a list of heading levels "
                            f"(1–3, e.g. [1]): {levels!r}")
        return frozenset(levels)

    @property
    def bold_lead_ins(self) -> bool:
        """Whether a paragraph's lead-in (a template's `lead` line: a 名词解释 term) is bold
        (`bold.lead_ins`; not by default)."""
        value = self._bold("lead_ins", False)
        if not isinstance(value, bool):
            raise PackError(f"格式包 {self.pack.name} 的 bold.lead_ins 应为 true 或 false：{value!r}",
                            f"bold.lead_ins of pack {self.pack.name} must be true or false: {value!r}")
        return value

    def _bold(self, key: str, default: Any) -> Any:
        return (self.raw.get("bold") or {}).get(key, default)

    def template_dirs(self, kind: str) -> list[Path]:
        """Where templates are looked up: a legacy $BUDGETGEN_TEMPLATES folder first, then
        the pack's <edition>/<kind>/, <edition>/, common/ and its root (for `{% extends
        "common/x.j2" %}`)."""
        roots = [*_legacy_templates(), self.pack.root]
        edition = str(self.edition)
        dirs = [d for root in roots for d in (root / edition / kind, root / edition, root / "common")]
        return [*dirs, self.pack.root]


@cache
def _tables(form: Form) -> dict[str, TableSpec]:
    defaults = form.raw.get("table_defaults", {})
    specs = {}
    for key, raw in (form.raw.get("tables") or {}).items():
        t = {**defaults, **raw}
        missing = [k for k in ("title", "builder", "header", "widths") if k not in t]
        if missing:
            raise PackError(f"格式包 {form.pack.name} 的表 {key} 缺少 {'、'.join(missing)}",
                            f"table {key} of pack {form.pack.name} lacks {', '.join(missing)}")
        header = tuple(tuple(_cell(c, f"{key} header row {i + 1}") for c in row)
                       for i, row in enumerate(t["header"]))
        specs[key] = TableSpec(key, str(t["title"]), str(t["builder"]), t.get("params") or {}, header,
                               tuple(t["widths"]), t.get("font_size"),
                               t.get("labels") or {}, str(t.get("unit", "")), str(t.get("empty_note", "")))
    return specs


def _filled(spec: TableSpec, year: int) -> TableSpec:
    values = {"year": year, "prior": year - 1}
    header = tuple(tuple(HeaderCell(fill(c.text, **values), c.colspan, c.rowspan) for c in row)
                   for row in spec.header)
    return TableSpec(spec.key, fill(spec.title, **values), spec.builder, spec.params, header, spec.widths,
                     spec.font_size, spec.labels, fill(spec.unit, **values), fill(spec.empty_note, **values))


@dataclass(frozen=True, eq=False)  # one object per folder: see `load_pack`
class Pack:
    name: str
    title: str
    root: Path
    editions: tuple[int, ...]
    kinds: tuple[str, ...]
    base: Mapping[str, Any]
    changes: Mapping[int, Mapping[str, Any]]

    def default_edition(self, year: int) -> int:
        """The latest edition not after `year`; the first one for earlier years."""
        return max((e for e in self.editions if e <= year), default=self.editions[0])

    def form(self, edition: int) -> Form:
        return _form(self, edition)


@cache
def _form(pack: Pack, edition: int) -> Form:
    if edition not in pack.editions:
        raise PackError(f"格式 {pack.name} 没有 {edition} 版（有 {'、'.join(map(str, pack.editions))}）",
                        f"format {pack.name} has no edition {edition} "
                        f"(it has {', '.join(map(str, pack.editions))})")
    return Form(pack, edition, _merge(dict(pack.base), dict(pack.changes.get(edition) or {})))


def _yaml_file(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(f"无法读取格式包文件 {path}：{exc}", f"cannot read the pack file {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise PackError(f"格式包文件 {path} 应为映射", f"the pack file {path} must be a mapping")
    return raw


@cache
def load_pack(root: Path) -> Pack:
    """The pack in folder `root` (which holds pack.yaml)."""
    raw = _yaml_file(root / PACK_FILE)
    missing = [k for k in ("name", "editions", "kinds", "parts") if k not in raw]
    missing += _missing_words(root, raw)
    if missing:
        raise PackError(f"格式包 {root} 缺少 {'、'.join(missing)}", f"the pack {root} lacks {', '.join(missing)}")
    editions = tuple(sorted(int(e) for e in raw["editions"]))
    changes = {int(e): c for e, c in (raw.get("edition") or {}).items()}
    base = {k: v for k, v in raw.items() if k != "edition"}
    return Pack(str(raw["name"]), str(raw.get("title", raw["name"])), root, editions,
                tuple(raw["kinds"]), base, changes)


def _missing_words(root: Path, raw: Mapping[str, Any]) -> list[str]:
    """The required words (`REQUIRED_WORDS`) that the pack or one of its editions leaves
    out; a page number without exactly one {n} is an error of its own."""
    base = raw.get("words") or {}
    editions = [base, *(_merge(base, (change or {}).get("words") or {})
                        for change in (raw.get("edition") or {}).values())]
    missing = [f"words.{key}" for key in REQUIRED_WORDS
               if any(not str(words.get(key) or "").strip() for words in editions)]
    for words in editions:
        form = str(words.get("page_number") or "")
        if form.strip() and form.count(PAGE_NUMBER_SLOT) != 1:
            raise PackError(f"格式包 {root} 的 words.page_number 须含一个 {PAGE_NUMBER_SLOT}（页码的位置）：{form}",
                            f"words.page_number of the pack {root} must hold {PAGE_NUMBER_SLOT} (where the "
                            f"number goes) exactly once: {form}")
    return missing


def _env_folders(name: str) -> list[Path]:
    return [Path(p) for p in os.environ.get(name, "").split(os.pathsep) if p]


def _legacy_templates() -> list[Path]:
    return [p for p in _env_folders(TEMPLATES_ENV) if not (p / PACK_FILE).is_file()]


def pack_folders() -> list[Path]:
    """Every pack folder budgetgen sees: the environment's first, then the shipped ones."""
    extra = [p for p in (*_env_folders(PACKS_ENV), *_env_folders(TEMPLATES_ENV)) if (p / PACK_FILE).is_file()]
    return [*extra, *_builtin_folders()]


def _builtin_folders() -> list[Path]:
    return sorted(p for p in BUILTIN.iterdir() if (p / PACK_FILE).is_file())


def builtin_packs() -> list[Pack]:
    """The formats shipped with budgetgen."""
    return [load_pack(folder) for folder in _builtin_folders()]


def find_pack(name: str) -> Pack:
    """The pack of format `name`; a folder given in the environment wins over a shipped one."""
    return _find(name, os.environ.get(PACKS_ENV, ""), os.environ.get(TEMPLATES_ENV, ""))


@cache
def _find(name: str, *environment: str) -> Pack:
    """`find_pack` for one state of the environment (its values are the cache key)."""
    for folder in pack_folders():
        pack = load_pack(folder.resolve())
        if pack.name == name:
            return pack
    known = sorted({load_pack(f.resolve()).name for f in pack_folders()})
    raise PackError(f"未知的格式：{name}（已知：{'、'.join(known)}）",
                    f"unknown format: {name} (known: {', '.join(known)})")


def add_pack_folder(folder: Path) -> str:
    """Make the pack in `folder` findable (`--format-pack DIR`), also by worker processes,
    which inherit the environment. Returns the pack's name."""
    if not (folder / PACK_FILE).is_file():
        raise PackError(f"{folder} 中没有 {PACK_FILE}", f"{folder} holds no {PACK_FILE}")
    pack = load_pack(folder.resolve())
    os.environ[PACKS_ENV] = os.pathsep.join([str(folder.resolve()), *map(str, _env_folders(PACKS_ENV))])
    return pack.name


def form_for(format_name: str, edition: int | None, year: int) -> Form:
    """The form an input asks for: its format's given edition, or the one for its year."""
    pack = find_pack(format_name)
    return pack.form(edition if edition is not None else pack.default_edition(year))


def form_of(data: Any) -> Form:
    """The form of an input (a generator.model.schema.BudgetInput): its format at its edition."""
    doc = data.document
    return form_for(doc.format, doc.edition, doc.year)
