"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {}
