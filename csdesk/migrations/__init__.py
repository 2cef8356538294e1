"""Schema revisions, applied by ``csdesk.store`` (no alembic.ini needed).

To write a new revision after changing the models::

    python -m csdesk.migrations revision "add ticket tags"

then review the generated file in ``versions/``: SQLite changes run in batch
mode (table rebuilds), and a rebuild of ``ledger``, ``audit_log``,
``handover_logs`` or ``handover_items`` must re-create their append-only
triggers with ``append_only.protect(op)``.
"""
