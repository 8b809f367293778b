"""Small dialogs of the Data page."""
