"""Files the desk writes for people to open elsewhere (spreadsheets).

``csvfile`` is the one CSV writer (UTF-8 with BOM, formula-safe cells,
written atomically); ``attendance`` lays out the weekly attendance export.
The use cases that read the data, write these files and note them in the
audit log are ``csdesk.services.exports``, which the CLI and the screens call.
"""
