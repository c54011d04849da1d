"""What the forms app does (plain functions over models), used by its API and views."""
