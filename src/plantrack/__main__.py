"""Allow `python -m plantrack`."""

from plantrack.cli import main

main()
