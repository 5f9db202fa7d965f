"""Demo data for `haven demo` (data.py): it calls every domain app's actions, so it lives outside `core`,
which imports no domain app."""
