"""TuneDesk: teach a small language model what you know, then talk to it."""

# The single source of the version (pyproject.toml reads it): importlib.metadata would cost
# ~30 ms of start-up and is missing in frozen bundles.
__version__ = "0.1.0"

APP_NAME = "TuneDesk"
APP_ID = "TuneDesk"  # folder name for platformdirs
ORG_NAME = "TuneDesk"
KEYRING_SERVICE = "com.tunedesk.app"
PROJECT_SUFFIX = ".tunedesk"  # here, not in core.project, so the UI can name it cheaply
