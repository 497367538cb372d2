"""The ``salesfloor`` command line, apart from the server it can start: ``main`` is its entry point."""

from server.cli.program import main

__all__ = ["main"]
