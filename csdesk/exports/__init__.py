"""Files the desk writes for people to open elsewhere (spreadsheets).

``csvfile`` is the one CSV writer (UTF-8 with BOM, formula-safe cells,
written atomically); ``attendance`` lays out the weekly attendance export.
The CLI and the screens both call these.
"""
