"""plantrack: track a government annual work plan kept as YAML in git."""

__version__ = "0.1.0"
