"""Deployment check: the participant code recipe in the settings can be read."""

from django.conf import settings
from django.core import checks

from haven.participants import codes


@checks.register(checks.Tags.compatibility)
def check_code_recipe(app_configs=None, **kwargs):
    try:
        codes.parse_recipe(settings.HAVEN_PARTICIPANT_CODE_RECIPE)
    except ValueError as error:
        return [checks.Error(
            f"HAVEN_PARTICIPANT_CODE_RECIPE cannot be read: {error}",
            hint="Write it as PART:LENGTH:letters|digits, separated by commas; see docs/PARTICIPANTS.md.",
            id="haven.E101",
        )]
    return []
