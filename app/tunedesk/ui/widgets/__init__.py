"""Reusable widgets of the TuneDesk window."""
