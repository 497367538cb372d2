"""The database: its engine and health, the tables, and the Alembic migrations."""
