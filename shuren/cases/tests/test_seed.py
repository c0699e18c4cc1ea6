"""The seed migration holds its own frozen rows; the live copy for tests must not drift from it."""

from __future__ import annotations

import importlib

import pytest

from shuren.cases import seed

SEEDING = (
    "shuren.cases.migrations.0002_seed_categories_and_deadlines",
    "shuren.cases.migrations.0007_ratings_and_handled_matters",
)


def test_the_live_seed_rows_are_the_migrations_frozen_rows():
    first, later = (importlib.import_module(name) for name in SEEDING)
    assert seed.CATEGORIES == first.CATEGORIES
    assert seed.POLICIES == first.POLICIES
    assert seed.LATER_POLICIES == later.POLICIES


def test_the_estate_tier_defaults_are_the_migrations_frozen_ones():
    migration = importlib.import_module("shuren.cases.migrations.0008_estate_tier_policy")
    assert seed.ESTATE_TIERS == migration.ESTATE_TIERS


@pytest.mark.parametrize("name", [*SEEDING, "shuren.cases.migrations.0008_estate_tier_policy"])
def test_the_migration_imports_no_project_code(name):
    source = importlib.util.find_spec(name).origin
    with open(source, encoding="utf-8") as file:
        assert "shuren" not in "".join(line for line in file if "import" in line)
