// Haven behaviour that needs JavaScript; every form also works without it.
