"""plantrack inside git: plan diffs, the textconv, the merge driver, and the one place that runs git."""
