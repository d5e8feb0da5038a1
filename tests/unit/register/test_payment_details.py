"""A provider's payment details: a Swiss or Liechtenstein IBAN or QR-IBAN with valid check digits, a postcode;
the debtor typed when a bill is printed; the demo's invented IBANs are valid."""
from __future__ import annotations

import pytest

from services.demo.payment_details import demo_iban
from shared.kernel.errors import Invalid
from shared.presentation.pdf.qr_bill import debtor_address, split_street
from shared.register.domain.provider import checked_iban, is_qr_iban, provider_changes


def test_an_iban_is_kept_compact_and_a_qr_iban_is_recognised():
    assert provider_changes({"iban": "CH93 0076 2011 6238 5295 7"}) == {"iban": "CH9300762011623852957"}
    assert is_qr_iban("CH4431999123000889012") and not is_qr_iban("CH9300762011623852957")


@pytest.mark.parametrize("bad", ["CH9300762011623852958", "DE89370400440532013000", "CH93", "hallo"])
def test_a_wrong_or_foreign_iban_is_refused_with_field_and_value(bad):
    with pytest.raises(Invalid) as e:
        checked_iban(bad)
    assert e.value.field == "iban" and e.value.value == bad


def test_a_postcode_has_four_digits():
    with pytest.raises(Invalid):
        provider_changes({"postcode": "45 00"})
    assert provider_changes({"postcode": "4500", "city": "Solothurn"}) == {"postcode": "4500", "city": "Solothurn"}


def test_the_demo_ibans_are_valid_and_every_kind_occurs():
    assert is_qr_iban(checked_iban(demo_iban("regiomech", qr=True)))
    assert not is_qr_iban(checked_iban(demo_iban("oltech", qr=False)))


def test_the_debtor_needs_name_postcode_and_city_or_nothing():
    assert debtor_address("", "", "", "") is None
    assert debtor_address(" Bruno  Beispiel ", "Musterweg 3", "4500", "Solothurn")["name"] == "Bruno Beispiel"
    with pytest.raises(Invalid) as e:
        debtor_address("Bruno", "", "", "Solothurn")
    assert e.value.field == "postcode" and e.value.value is None  # the typed value is never echoed
    with pytest.raises(Invalid):
        debtor_address("x" * 71, "", "4500", "Solothurn")
    assert split_street("Bahnhofstrasse 12a") == ("Bahnhofstrasse", "12a")
    assert split_street("Im Ried") == ("Im Ried", "")
