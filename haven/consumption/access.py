"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {
    # Everyone who works a supervised consumption site sees the board, checks people in and out,
    # checks on them and responds to an overdose (peers included: they often do).
    "consumption": "consumption.view",
    "consumption-board": "consumption.view",
    "consumption-board-live": "consumption.view",
    "api:consumption-board-api": "consumption.view",
    "consumption-check-in": "consumption.check_in",
    "consumption-check-out": "consumption.check_in",
    "consumption-check": "consumption.monitor",
    "consumption-response-new": "consumption.respond",
    # Coordinators and admins add booths and set the check intervals.
    "consumption-booths": "consumption.manage",
    "consumption-booth-close": "consumption.manage",
    # The remote spotting line: every operator sees every open call (one who closes the browser
    # leaves the call to the others); coordinators set the check-in intervals.
    "consumption-spotting": "consumption.spotting",
    "consumption-spotting-live": "consumption.spotting",
    "consumption-spotting-new": "consumption.spotting",
    "consumption-spotting-call": "consumption.spotting",
    "consumption-spotting-call-live": "consumption.spotting",
    "consumption-spotting-check-in": "consumption.spotting",
    "consumption-spotting-end": "consumption.spotting",
    "consumption-spotting-again": "consumption.spotting",
    "consumption-spotting-escalation": "consumption.spotting",
    "consumption-spotting-settings": "consumption.manage",
}
