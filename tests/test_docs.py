"""The documentation cannot drift: every input field, check id and CLI option is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

from pydantic import BaseModel

from generator.checks import CHECK_IDS
from generator.cli import build_parser
from generator.model import schema

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "docs" / "input-format.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


def _models() -> list[type[BaseModel]]:
    return [m for m in vars(schema).values()
            if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == schema.__name__]


def test_every_input_field_is_in_the_reference():
    missing = sorted({f"{m.__name__}.{name}" for m in _models() for name in m.model_fields
                      if f"`{name}`" not in REFERENCE})
    assert not missing, missing


def test_every_check_id_is_in_the_reference():
    assert not [i for i in CHECK_IDS if i not in REFERENCE]


def test_every_command_and_option_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, command in sub.choices.items():
        if f"budgetgen {name}" not in README:
            missing.append(name)
        for action in command._actions:
            missing += [f"{name} {o}" for o in action.option_strings
                        if o.startswith("--") and o != "--help" and o not in README]
    assert not missing, missing


def test_the_docs_cite_no_path_outside_the_repository():
    """A fresh clone has only the repository: no document may point at this machine's folders."""
    outside = ("/work/", ".." + "/shared")  # the development setup's folders
    for name, text in (("README.md", README), ("docs/input-format.md", REFERENCE)):
        assert not any(path in text for path in outside), name
