"""The starting catalog of services: education, tests, care and referrals (with the referral hook)."""

from haven.encounters.models import Service


def test_the_service_catalog_is_seeded(db):
    names = set(Service.objects.values_list("name", flat=True))

    assert {"Safer injection", "Overdose prevention and naloxone", "Drug checking", "Wound care education",
            "Safer smoking", "Safer sex", "Vein care", "Fentanyl and xylazine risks", "HIV test", "HCV test",
            "Wound care given", "Housing", "Mental health", "Medical care", "Legal aid"} <= names


def test_every_referral_says_what_kind_of_referral_it_is(db):
    referrals = Service.objects.filter(kind=Service.Kind.REFERRAL)

    assert referrals.count() == 5
    assert "substance_use_treatment" in set(referrals.values_list("referral_type", flat=True))
    assert not referrals.filter(referral_type="").exists()
    assert not Service.objects.exclude(kind=Service.Kind.REFERRAL).exclude(referral_type="").exists()
