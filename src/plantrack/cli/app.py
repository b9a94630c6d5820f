"""The whole command line: the root command with every command registered, in help order."""

# isort: skip_file
# Importing a module registers its commands; the help lists them in this order.
from plantrack.cli.root import app
from plantrack.cli import review, queries, documents, edits, reminders

__all__ = ["app", "documents", "edits", "queries", "reminders", "review"]
