"""Fixtures shared by every test: the personas and a signed-in client for each."""

import pytest
from django.test import Client

from haven.accounts.roles import Role
from haven.testing import personas


@pytest.fixture
def places(db):
    return personas.make_places()


@pytest.fixture
def alice(places):
    return personas.make_person("alice", Role.ADMIN, two_factor=True)


@pytest.fixture
def dana(places):
    return personas.make_person("dana", Role.COORDINATOR, two_factor=True)


@pytest.fixture
def bob(places):
    return personas.make_person("bob", Role.STAFF, sites=[places["fixed"]])


@pytest.fixture
def carol(places):
    return personas.make_person("carol", Role.PEER, sites=[places["van"]])


@pytest.fixture
def everyone(alice, dana, bob, carol):
    return {"alice": alice, "dana": dana, "bob": bob, "carol": carol}


@pytest.fixture
def client_as():
    """client_as(user) gives a client signed in as that person, second factor verified."""

    def make(user):
        return personas.sign_in(Client(), user)

    return make


@pytest.fixture
def anonymous_client():
    return Client()
