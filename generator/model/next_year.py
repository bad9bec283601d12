"""Next year's starting input from this year's: what carries over, what becomes the prior year.

Carried over: the document's identity, duties and organisation, units, function codes,
表6 items, projects (names, units, categories, codes) and their performance tables (texts
and indicators), assets and notes. Last year's derived totals become the prior-year
figures. Every amount of the new year is the placeholder 【待填写】, which counts as 0 and
which `check` reports (W-PLACEHOLDER) until it is filled.
"""

from __future__ import annotations

from decimal import Decimal

from generator.derive.ledger import build_ledger
from generator.model.load import YUAN_PER_UNIT
from generator.model.schema import BudgetInput

BLANK = "【待填写】"
STALE = "【待填写：核对年份，删去本标记】"  # before a carried text that names last year
REVIEW = "【待填写：上年为 "  # a carried count or area: 【待填写：上年为 2】
REASON = "【待填写：增减变化的主要原因】"
THREE_PUBLIC = ("overseas", "reception", "vehicle_purchase", "vehicle_operation")
_CARRIED_TABLE = ("project", "unit", "published", "attribute", "period_years", "overview", "basis",
                  "necessity", "measures", "plan", "period_goal", "annual_goal", "period_indicators",
                  "annual_indicators", "leader", "handler", "phone")


def _set(model, *exclude: str) -> dict:
    """The fields the file gave (defaults left to apply again), as plain data."""
    return model.model_dump(exclude_unset=True, exclude=set(exclude), mode="python")


class _Next:
    def __init__(self, data: BudgetInput) -> None:
        self.data = data
        self.per_unit = YUAN_PER_UNIT[data.amount_unit]

    def amount(self, yuan: Decimal) -> Decimal:
        """元 → the file's unit, written without exponent."""
        return Decimal(format(yuan / self.per_unit, "f"))

    def units(self) -> list[dict]:
        out = []
        for unit in self.data.units:
            row: dict = {"name": unit.name, "type": unit.type}
            if unit.type != "事业单位":
                row["operating_costs"] = BLANK
            out.append(row)
        return out

    def expenditure(self) -> list[dict]:
        out = []
        for row in self.data.expenditure:
            entry: dict = {"code": row.code} | ({"name": row.name} if row.name else {})
            parts = [p for p in ("basic", "project") if getattr(row, p).total] or ["basic"]
            # the Shanghai facts of a 项: its use carries over, the rest is the new year's
            shanghai = ({"use": row.use} if row.use else {}) \
                | {k: BLANK for k in ("basic_public", "prior_actual") if getattr(row, k) is not None} \
                | ({"reason": REASON} if row.reason else {})
            out.append(entry | dict.fromkeys(parts, BLANK) | shanghai)
        return out

    def three_public(self) -> dict:
        tp = self.data.three_public
        out: dict = {}
        for key in THREE_PUBLIC:
            last = getattr(tp, key).amount.total
            out[key] = {"amount": BLANK, "prior": self.amount(last)} | ({"reason": REASON} if last else {})
        if any(getattr(tp, k).amount.total for k in THREE_PUBLIC):
            out["reason"] = REASON
        if tp.vehicles_reason:
            out["vehicles_reason"] = REASON
        return out

    def operating_costs(self) -> dict:
        oc = self.data.operating_costs
        last = sum((u.operating_costs.total for u in self.data.units if u.type != "事业单位"), Decimal(0))
        out: dict = {"prior": self.amount(last)} | ({"reason": REASON} if last else {})
        return out | _set(oc, "prior", "reason")

    def prior_year(self) -> dict:
        flow = build_ledger(self.data).total
        return {"total": self.amount(flow.sum()),
                "general_budget": self.amount(flow.sum(sources=["general"], period="current")),
                **{s: self.amount(flow.sum(sources=[s], period="current"))
                   for s in ("gov_fund", "state_capital") if flow.sum(sources=[s], period="current")}}

    def projects(self) -> list[dict]:
        return [_set(p, "amount", "carryover") | {"amount": BLANK} for p in self.data.projects]

    def performance_tables(self) -> list[dict]:
        return [{k: v for k, v in _set(t).items() if k in _CARRIED_TABLE} | {"filled_on": BLANK}
                for t in self.data.performance_tables]

    def assets(self, year: int) -> dict:
        """Carried over, the date moved on a year, and every count and area marked for review."""
        out = _set(self.data.assets)
        if "as_of" in out:
            out["as_of"] = f"{year - 1}年12月31日"
        for key in ("office_area", "equipment_over_500k", "equipment_over_1m"):
            if out.get(key) is not None:
                out[key] = review(out[key])
        if out.get("vehicles") is not None:
            out["vehicles"] = {k: review(v) for k, v in out["vehicles"].items()}
        return out


def review(value: object) -> str:
    """Last year's count as a placeholder that names it: the clerk confirms or changes it."""
    return f"{REVIEW}{value}】"


def _income(rows) -> list[dict]:
    return [{"code": r.code, "name": r.name, "amount": BLANK} for r in rows]


def next_year(data: BudgetInput, year: int) -> dict:
    """The plain input data of `year`, starting from `data` (a checked input of an earlier year)."""
    n = _Next(data)
    out: dict = {
        "amount_unit": data.amount_unit,
        "document": _set(data.document, "edition") | {"year": year},
        "overview": _set(data.overview),
        "units": n.units(),
        "expenditure": n.expenditure(),
        "function_names": dict(data.function_names),
        "economic_items": [_set(i, "amount") | {"amount": BLANK} for i in data.economic_items],
        "gov_fund_income": _income(data.gov_fund_income),
        "state_capital_income": _income(data.state_capital_income),
        "three_public": n.three_public(),
        "operating_costs": n.operating_costs(),
        "prior_year": n.prior_year(),
        "reasons": {"income": REASON},
        "procurement": dict.fromkeys(("goods", "works", "services"), BLANK)
        | {k: BLANK for k in ("sme_reserved", "small_micro_reserved") if getattr(data.procurement, k) is not None},
        "unit_funds_income": None if data.unit_funds_income is None
        else {k: BLANK for k, v in _set(data.unit_funds_income).items() if v},
        "projects": n.projects(),
        "performance": _set(data.performance, "overall_amount", "targeted_amount")
        | ({"targeted_amount": BLANK} if data.performance.targeted_amount is not None else {}),
        "performance_tables": n.performance_tables(),
        "assets": n.assets(year),
        "other_notes": _set(data.other_notes) if data.other_notes else None,
        "project_notes": _set(data.project_notes) if data.project_notes else None,
        "glossary": data.glossary,
        "style": _set(data.style),
    }
    return {k: _mark_stale(v, year, (k,)) for k, v in out.items() if v not in (None, {}, [])}


def _mark_stale(value: object, year: int, path: tuple) -> object:
    """Carried texts that name last year as the current one, marked for review (a placeholder)."""
    from generator.checks.unfilled import stale_year

    if isinstance(value, dict):
        return {k: _mark_stale(v, year, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_stale(v, year, (*path, i)) for i, v in enumerate(value)]
    if isinstance(value, str) and stale_year(path, value, year) is not None:
        return STALE + value
    return value

