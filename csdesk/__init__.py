"""csdesk: the terminal desk of a shift-based customer-service centre."""

__version__ = "0.1.0"
