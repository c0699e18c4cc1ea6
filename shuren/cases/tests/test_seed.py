"""The seed migration holds its own frozen rows; the live copy for tests must not drift from it."""

from __future__ import annotations

import importlib

from shuren.cases import seed


def test_the_live_seed_rows_are_the_migrations_frozen_rows():
    migration = importlib.import_module(
        "shuren.cases.migrations.0002_seed_categories_and_deadlines"
    )
    assert seed.CATEGORIES == migration.CATEGORIES
    assert seed.POLICIES == migration.POLICIES


def test_the_estate_tier_defaults_are_the_migrations_frozen_ones():
    migration = importlib.import_module("shuren.cases.migrations.0007_estate_tier_policy")
    assert seed.ESTATE_TIERS == migration.ESTATE_TIERS


def test_the_migration_imports_no_project_code():
    source = importlib.util.find_spec(
        "shuren.cases.migrations.0002_seed_categories_and_deadlines"
    ).origin
    with open(source, encoding="utf-8") as file:
        assert "shuren" not in "".join(line for line in file if "import" in line)
