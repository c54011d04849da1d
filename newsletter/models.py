"""Models of the newsletter app (they arrive with its issue)."""
