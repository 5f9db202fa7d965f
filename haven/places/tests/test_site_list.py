def test_staff_sees_only_their_own_sites(bob, client_as):
    content = client_as(bob).get("/places/sites/").content.decode()

    assert "North drop-in" in content
    assert "East van" not in content


def test_peer_sees_only_their_own_sites(carol, client_as):
    content = client_as(carol).get("/places/sites/").content.decode()

    assert "East van" in content
    assert "North drop-in" not in content


def test_staff_gets_no_new_site_button_or_edit_links(bob, places, client_as):
    content = client_as(bob).get("/places/sites/").content.decode()

    assert "/places/sites/new/" not in content
    assert f"/places/sites/{places['fixed'].pk}/" not in content


def test_coordinator_sees_every_site_with_edit_links(dana, places, client_as):
    content = client_as(dana).get("/places/sites/").content.decode()

    assert "North drop-in" in content and "East van" in content
    assert "/places/sites/new/" in content
    assert f"/places/sites/{places['van'].pk}/" in content


def test_staff_without_sites_is_told_whom_to_ask(places, client_as):
    from haven.accounts.roles import Role
    from haven.testing import personas

    newcomer = personas.make_person("erin", Role.STAFF)

    content = client_as(newcomer).get("/places/sites/").content.decode()

    assert "not assigned to any site" in content
