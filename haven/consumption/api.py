"""The supervised consumption part of the JSON API (mounted under /api/consumption by haven/api.py).

Read-only: a site's board, for a wall display or another client. Who is in a booth is their display
id or "anonymous #n"; what they use is never sent.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from haven.consumption import queries
from haven.core.api import SIGNED_IN, Id, errors

router = Router(tags=["consumption"])


class BoothOut(Schema):
    booth_id: int
    name: str
    kind: str
    state: str
    who: str | None
    checked_in_at: datetime.datetime | None
    last_check_at: datetime.datetime | None


class BoardOut(Schema):
    site_id: int
    tag: str
    booths: list[BoothOut]


@router.get("/sites/{site_id}/board", response={200: BoardOut, **errors(*SIGNED_IN, 404, 422)}, url_name="consumption-board-api",
            summary="A site's booths, who is in each and the state of its timer")
def board(request, site_id: Id):
    site = queries.site_for(request.auth, site_id)
    if site is None:
        return Status(404, {"detail": _("No such site among the sites you work at.")})
    rows = queries.board_rows(site)
    return {"site_id": site.pk, "tag": queries.board_tag(site), "booths": [
        {"booth_id": row.booth.pk, "name": row.booth.name, "kind": row.booth.kind, "state": row.state,
         "who": str(row.stay.who) if row.stay else None,
         "checked_in_at": row.stay.checked_in_at if row.stay else None,
         "last_check_at": row.stay.last_check_at if row.stay else None} for row in rows]}
