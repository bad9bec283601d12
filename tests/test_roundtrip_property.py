"""YAML → workbook → YAML keeps every valid input (property-based, with Hypothesis).

Inputs are generated from an example: arbitrary amounts (up to the 15 significant digits
a spreadsheet number holds), texts (formula-like prefixes included), counts, choices,
empty or dropped optional sections and shorter lists. Whatever validates as YAML must
validate to the same model when written as a workbook and read back, and again after
`import` writes the workbook as YAML.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from generator.model.load import validate
from generator.model.yamlsource import InputError, Source, parse_yaml, read_yaml
from generator.workbook.reader import read_workbook
from generator.workbook.writer import write_workbook
from generator.workbook.yamlout import to_yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = read_yaml(ROOT / "inputs" / "datong-shanghai-office-2024.yaml").data

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False,
                      allow_infinity=False).map(lambda d: d.normalize() if d else Decimal(0))
TEXTS = st.one_of(
    st.text(st.characters(max_codepoint=0x9FFF, exclude_categories=("Cs", "Co", "Cn", "Cc")),
            min_size=1, max_size=30),
    st.sampled_from(["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x","y")', "083", "1,234.56",
                     "100%", "2024-01-01", "TRUE", "是"]),
).filter(lambda t: t.strip() != "")
COUNTS = st.integers(min_value=0, max_value=100_000)


@st.composite
def inputs(draw) -> dict:
    data = copy.deepcopy(BASE)
    data["other_notes"]["other"] = draw(TEXTS)
    data["reasons"]["income"] = draw(TEXTS)
    for row in data["expenditure"]:
        row["basic"] = draw(AMOUNTS)
    data["procurement"] = {k: draw(AMOUNTS) for k in draw(st.sets(st.sampled_from(["goods", "works", "services"])))}
    keep = draw(st.integers(min_value=0, max_value=len(data["projects"])))
    data["projects"] = data["projects"][:keep]
    for project in data["projects"]:
        project["amount"] = draw(AMOUNTS)
        if draw(st.booleans()):
            project["category"] = draw(st.sampled_from(["其他运转类", "特定目标类"]))
        else:
            project.pop("category", None)
    names = {p["name"] for p in data["projects"]}
    data["performance_tables"] = [t for t in data["performance_tables"] if t["project"] in names]
    for table in data["performance_tables"]:
        table["plan"] = draw(TEXTS)
    vehicles = draw(st.one_of(st.just({}), st.fixed_dictionaries({"quota": COUNTS, "leader": COUNTS})))
    data["assets"]["vehicles"] = vehicles
    data["assets"]["office_area"] = draw(st.decimals(min_value=0, max_value=99999, places=2,
                                                     allow_nan=False, allow_infinity=False))
    if draw(st.booleans()):
        data.pop("style", None)
    return data


# No shrinking: writing a workbook per example makes it take minutes; the example is printed as found.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(inputs())
def test_every_valid_input_survives_the_workbook(data):
    source = Source(file="generated.yaml", data=data)
    try:
        original = validate(source)
    except InputError:
        assume(False)  # the property is about valid inputs only
        return
    from_book = read_workbook(write_workbook(source), "generated.xlsx")
    assert validate(from_book) == original
    imported = parse_yaml(to_yaml(from_book.data).encode("utf-8"), "imported.yaml")
    assert validate(imported) == original
