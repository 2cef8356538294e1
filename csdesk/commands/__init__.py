"""Subcommands kept in their own modules; ``csdesk.cli`` imports each one."""
