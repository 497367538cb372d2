"""``python -m server.cli``: the ``salesfloor`` command line, as the console script runs it."""

import sys

from server.cli.program import main

if __name__ == "__main__":
    sys.exit(main())
