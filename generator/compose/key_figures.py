"""The key figures `check` prints and the workbench shows beside the findings.

They are phrased by the format pack's `summary.j2` (one `label | value` line each), from the
same context as the document's own templates, so a Shanghai input is summarised with
Shanghai's figures and a bureau can change a label without touching Python.
"""

from __future__ import annotations

from generator.compose.document import template_context
from generator.compose.phrasing import environment
from generator.derive.figures import Figures
from generator.model.schema import BudgetInput

TEMPLATE = "summary.j2"


def key_figures(data: BudgetInput, figures: Figures) -> list[tuple[str, str]]:
    """(label, value) pairs; a label may start with spaces to sit under the one above it."""
    text = environment(data).get_template(TEMPLATE).render(template_context(data, figures, {}))
    pairs = []
    for line in text.splitlines():
        if line.strip():
            label, _, value = line.partition(" | ")
            pairs.append((label.rstrip(), value.strip()))
    return pairs
