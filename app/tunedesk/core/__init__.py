"""Plain-Python domain layer: no Qt, no qasync, no cloud SDKs (import-linter enforces it)."""
