"""``python -m spinconf``."""

from spinconf.cli import run

run()
