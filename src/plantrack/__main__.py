"""Allow `python -m plantrack`."""

from plantrack.entry import main

main()
