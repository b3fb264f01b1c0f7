"""Alembic migration scripts, shipped inside the package (see ``bot.storage.migrate``)."""
