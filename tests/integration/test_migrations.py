"""The migrations build exactly the schema the code declares, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from tix.adapters.db.migrate import MIGRATIONS, current_revision, head_revision
from tix.adapters.db.rows import metadata


def test_the_head_read_from_file_names_is_alembics_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [head_revision()]


def test_a_migrated_database_matches_the_models(database):
    engine = create_engine(database)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, metadata())
        assert differences == []
    finally:
        engine.dispose()
