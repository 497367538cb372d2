"""Persistence: the database (tables, migrations, engine), the store over it, and archives."""
