"""The inventory part of the JSON API (mounted under /api/ by haven/api.py)."""

from ninja import Router

router = Router(tags=["inventory"])
