"""The schema comes from Alembic and matches the ORM models on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from qa.db import alembic_config, get_engine, migrate
from qa.models import Base


def test_migrations_build_the_model_schema_and_roll_back(database_url: str) -> None:
    engine = get_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        tables = set(inspect(conn).get_table_names())
    assert {"team", "agent", "user_account", "interaction", "media", "turn", "job"} <= tables
    engine.dispose()
    command.downgrade(alembic_config(database_url), "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate(database_url)
    with engine.connect() as conn:
        assert "interaction" in inspect(conn).get_table_names()
