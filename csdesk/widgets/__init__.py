"""Widgets shared by every screen of the desk."""
