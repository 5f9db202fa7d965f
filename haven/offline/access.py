"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {
    # The service worker script holds no data, and a browser fetches it again to look for
    # updates whether or not the session is still open. ("public" is permissions.PUBLIC; this
    # module is imported while permissions.py is still loading.)
    "service-worker": "public",
    # A fixed page with no data, stored by the worker for people who log visits.
    "offline-page": "encounters.record",
    # The session's key for the participant cache, and the cache itself (display ids and last
    # visits at the person's own sites; audited): for people who log visits.
    "api:offline-key": "encounters.record",
    "api:offline-participants": "encounters.record",
    # A visit logged offline: recorded by encounters.actions, which checks the site as always.
    "api:offline-visit": "encounters.record",
}
