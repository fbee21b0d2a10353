"""tix: ticketing for people who work in a terminal."""

__version__ = "0.1.0"
