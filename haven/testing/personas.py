"""The people every test talks about: admin Alice, coordinator Dana, staff Bob, peer Carol.

An anonymous member of the public is simply a client that has not signed in.
"""

import functools

from django.contrib.auth.hashers import make_password
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import User
from haven.places.models import Area, Site

PASSWORD = "correct horse battery staple"


def make_places():
    north = Area.objects.create(name="Northside", kind=Area.Kind.NEIGHBOURHOOD)
    east = Area.objects.create(name="Eastside", kind=Area.Kind.NEIGHBOURHOOD)
    fixed = Site.objects.create(name="North drop-in", kind=Site.Kind.FIXED, area=north, hours_per_week=40)
    van = Site.objects.create(name="East van", kind=Site.Kind.MOBILE, area=east, hours_per_week=12)
    return {"north": north, "east": east, "fixed": fixed, "van": van}


@functools.cache
def _password_hash() -> str:
    # A real Argon2 hash, made once per run: hashing is deliberately slow.
    return make_password(PASSWORD)


def make_person(username, role, *, sites=(), two_factor=False):
    user = User.objects.create(username=username, password=_password_hash(), role=role)
    if sites:
        user.sites.set(sites)
    if two_factor:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def current_totp(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """Sign in as `user` the way the login page would, second factor included where it is set up."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
