"""dutyflow: turns a government plan's duties into tracked, scheduled work."""

__version__ = "0.1.0"
