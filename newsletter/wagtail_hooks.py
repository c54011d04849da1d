"""Back-office screens of the newsletter app."""
