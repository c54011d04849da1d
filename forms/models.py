"""Models of the forms app (they arrive with its issue)."""
