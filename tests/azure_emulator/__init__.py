"""A local emulator of the Azure endpoints TuneDesk uses (tests only, never shipped).

See README.md in this folder for how it fits together and how to click through the
desktop app against it.
"""
