"""The one thing every layer agrees on about failures: which ones speak for themselves."""


class ExplainedError(Exception):
    """A failure whose text is written for the person at the desk (a refusal naming its
    rule, a database that cannot be opened), shown as it is; any other is logged and
    answered with an apology, since its text may quote customer data."""

    # One that may pass by itself (a busy database, a server out of reach): whoever runs the
    # command again later (cron, the mail system) may succeed, so the command line exits 75.
    temporary: bool = False
