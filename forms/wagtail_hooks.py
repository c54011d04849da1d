"""Back-office screens of the forms app."""
