"""Several workers: which one owns the competitions, and how the others forward to it."""
