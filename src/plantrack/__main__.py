"""Allow `python -m plantrack`."""

from plantrack.cli.entry import main

main()
