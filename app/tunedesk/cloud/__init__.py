"""Plain-Python + asyncio cloud layer: no Qt (import-linter enforces it)."""
