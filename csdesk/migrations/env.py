"""Alembic environment: runs on the connection ``csdesk.store`` hands over.

The store opens that connection under the migration lock, so concurrent
starters never migrate twice; there is no URL-based mode on purpose.
"""

from typing import Any

from alembic import context
from sqlalchemy.types import TypeDecorator

from csdesk.migrations.change_feed import include_object
from csdesk.models import metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Revisions must not import csdesk's Python types (a later change to them
    # would rewrite history), so custom column types are written as their
    # plain storage type.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through csdesk.store, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
