"""The command line: Typer commands, the Chinese frame, terminal output.

The only package that imports typer, click or rich. A command parses its options, makes
one call into `commands/` (or `gitops/`, `importer/`), and prints what comes back.
`cli.app` assembles the commands; `cli.entry` is the console script.
"""
