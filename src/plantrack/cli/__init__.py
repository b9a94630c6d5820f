"""The command line: Typer commands, the Chinese frame, terminal output. The only package that imports typer, click or rich."""
