"""Back-office additions for the editorial pages (rubrics and the Atlas arrive with their issues)."""
