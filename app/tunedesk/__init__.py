"""TuneDesk: teach a small language model what you know, then talk to it."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "TuneDesk"
APP_ID = "TuneDesk"          # folder name for platformdirs
ORG_NAME = "TuneDesk"
KEYRING_SERVICE = "com.tunedesk.app"

try:
    __version__ = version("tunedesk")
except PackageNotFoundError:  # running from a frozen bundle without metadata
    __version__ = "0.1.0"
