"""Phone numbers through twilio-python: the operator's inventory (`parley numbers import`), Twilio's searches,
buying (one owner per number, even under concurrent purchases), configuring, listing and releasing."""

import subprocess
import threading

import pytest
from twilio.base.exceptions import TwilioRestException

from helpers import assert_recent, assert_rest_error, unique_name
from oai_schema import validate_exchanges

API_MOUNT = "/api"
PN_PATTERN = r"PN[0-9a-f]{32}"

# Numbers only this module uses (the inventory is shared by the session's server).
INVENTORY = """phone_number,iso_country,type,capabilities,region,locality,postal_code,connection
+14155550100,US,local,voice;sms;mms,CA,San Francisco,94107,sandbox
+14155550101,US,local,voice;sms,CA,San Francisco,94107,sandbox
+14155550102,US,local,voice,CA,San Francisco,94107,sandbox
+14157867600,US,local,voice;sms,CA,San Francisco,94110,sandbox
+12125550100,US,local,voice;sms;mms,NY,New York,10001,sandbox
+12125550101,US,local,sms,NY,New York,10001,sandbox
+18005550199,US,toll-free,voice;sms,,,,sandbox
+447700900123,GB,mobile,sms,,London,,sandbox
"""


def run_import(binary, server, path):
    return subprocess.run(
        [str(binary), "numbers", "import", str(path), "--data-dir", str(server.work_dir / "data")],
        capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def inventory(parley_binary, parley, tmp_path_factory):
    path = tmp_path_factory.mktemp("numbers") / "numbers.csv"
    path.write_text(INVENTORY)
    result = run_import(parley_binary, parley, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"8 numbers in {path}: 8 added, 0 updated, 0 unchanged", result.stdout
    return path


@pytest.fixture
def account(client, owner):
    return client.api.v2010.accounts(owner.sid)


def buy(account, phone_number, **params):
    return account.incoming_phone_numbers.create(phone_number=phone_number, **params)


def test_import_again_changes_nothing_and_a_bad_file_loads_nothing(parley_binary, parley, inventory, tmp_path, account):
    again = run_import(parley_binary, parley, inventory)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().endswith("0 added, 0 updated, 8 unchanged"), again.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("phone_number,iso_country,type,capabilities\n+14155550188,US,local,sms\n4155550189,US,local,sms\n")
    refused = run_import(parley_binary, parley, bad)
    assert refused.returncode != 0
    assert "line 3" in refused.stderr and "E.164" in refused.stderr, refused.stderr
    assert account.available_phone_numbers("US").local.list(contains="+14155550188") == []


def test_search_with_twilios_filters(account, inventory):
    us = account.available_phone_numbers("US")

    in_415 = us.local.list(area_code=415, page_size=50)
    sms_415 = us.local.list(area_code=415, sms_enabled=True)
    storm = us.local.list(contains="STORM")
    anchored = us.local.list(contains="+1212555****")
    ending = us.local.list(contains="0101$")
    new_york = us.local.list(in_region="ny", in_locality="New York", mms_enabled=True)
    toll_free = us.toll_free.list()
    gb = account.available_phone_numbers("GB").mobile.list(sms_enabled=True)

    assert {n.phone_number for n in in_415} >= {"+14155550100", "+14155550101", "+14155550102", "+14157867600"}
    assert all(n.phone_number.startswith("+1415") for n in in_415)
    assert {n.phone_number for n in sms_415} & {"+14155550102"} == set()
    assert [n.phone_number for n in storm] == ["+14157867600"]
    assert {n.phone_number for n in anchored} == {"+12125550100", "+12125550101"}
    # Other modules' inventories share the server: only this module's numbers are known here.
    own = {line.split(",")[0] for line in INVENTORY.splitlines()[1:]}
    assert {n.phone_number for n in ending} & own == {"+14155550101", "+12125550101"}
    assert [n.phone_number for n in new_york] == ["+12125550100"]
    assert [n.phone_number for n in toll_free] == ["+18005550199"]
    assert [n.phone_number for n in gb] == ["+447700900123"]
    first = next(n for n in in_415 if n.phone_number == "+14155550100")
    assert first.friendly_name == "(415) 555-0100"
    assert (first.iso_country, first.region, first.locality, first.postal_code) == ("US", "CA", "San Francisco", "94107")
    assert first.capabilities == {"voice": True, "sms": True, "mms": True, "fax": False}
    countries = {c.country_code: c for c in account.available_phone_numbers.list()}
    assert countries["US"].country == "United States"
    assert set(countries["US"].subresource_uris) == {"local", "toll_free"}
    assert set(countries["GB"].subresource_uris) == {"mobile"}


def test_bad_search_parameters_are_400s(raw_api, owner, inventory):
    base = f"/2010-04-01/Accounts/{owner.sid}/AvailablePhoneNumbers/US/Local.json"
    for params in ({"Contains": "4"}, {"Contains": "41-5"}, {"AreaCode": "41"}, {"SmsEnabled": "yes"}):
        response = raw_api.request("GET", base, params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["code"] == 20001, response.text
    assert raw_api.request("GET", f"/2010-04-01/Accounts/{owner.sid}/AvailablePhoneNumbers/USA/Local.json").status_code == 404


def test_buy_from_search_results_configure_list_and_release(account, receiver, inventory):
    found = account.available_phone_numbers("US").local.list(area_code=212, sms_enabled=True, mms_enabled=True)[0]
    name = unique_name("number")
    hook = receiver.url("/sms")

    number = buy(account, found.phone_number, friendly_name=name, sms_url=hook, sms_method="GET")

    assert number.sid.startswith("PN") and len(number.sid) == 34
    assert (number.phone_number, number.friendly_name, number.sms_url, number.sms_method) == (
        found.phone_number, name, hook, "GET")
    assert number.status_callback is None and number.voice_method == "POST"
    assert_recent(number.date_created)
    assert found.phone_number not in {n.phone_number for n in account.available_phone_numbers("US").local.list(area_code=212)}

    updated = account.incoming_phone_numbers(number.sid).update(status_callback=hook, sms_url="", voice_url=hook)
    assert (updated.status_callback, updated.sms_url, updated.voice_url) == (hook, None, hook)
    assert account.incoming_phone_numbers(number.sid).fetch().status_callback == hook

    assert [n.sid for n in account.incoming_phone_numbers.list(phone_number="212555*100")] == [number.sid]
    assert [n.sid for n in account.incoming_phone_numbers.list(friendly_name=name)] == [number.sid]
    assert number.sid in {n.sid for n in account.incoming_phone_numbers.local.list()}
    assert number.sid not in {n.sid for n in account.incoming_phone_numbers.toll_free.list()}

    assert account.incoming_phone_numbers(number.sid).delete() is True
    with pytest.raises(TwilioRestException) as gone:
        account.incoming_phone_numbers(number.sid).fetch()
    assert_rest_error(gone.value, 404, 20404)
    assert found.phone_number in {n.phone_number for n in account.available_phone_numbers("US").local.list(area_code=212)}


def test_buy_by_area_code_and_purchase_errors(account, inventory):
    by_area = account.incoming_phone_numbers.create(area_code="800")
    try:
        assert by_area.phone_number == "+18005550199"
        with pytest.raises(TwilioRestException) as taken:
            buy(account, "+18005550199")
        assert_rest_error(taken.value, 400, 21422)
        with pytest.raises(TwilioRestException) as none_left:
            account.incoming_phone_numbers.create(area_code="800")
        assert_rest_error(none_left.value, 400, 21452)
    finally:
        account.incoming_phone_numbers(by_area.sid).delete()
    for phone_number, code in (("+19995550100", 21422), ("+1-415-abc", 21421)):
        with pytest.raises(TwilioRestException) as refused:
            buy(account, phone_number)
        assert_rest_error(refused.value, 400, code)
    with pytest.raises(TwilioRestException) as private:
        buy(account, "+14155550101", sms_url="http://10.0.0.1/sms")
    assert_rest_error(private.value, 400, 20001)
    assert "+14155550101" in {n.phone_number for n in account.available_phone_numbers("US").local.list(area_code=415)}


def test_concurrent_purchases_give_one_owner(make_client, make_subaccount, inventory):
    accounts = [make_subaccount("buyer") for _ in range(4)]
    clients = [make_client(a.sid, a.auth_token).api.v2010.accounts(a.sid) for a in accounts]
    barrier = threading.Barrier(len(clients))
    outcomes = [None] * len(clients)

    def attempt(index):
        barrier.wait()
        try:
            outcomes[index] = buy(clients[index], "+14155550100")
        except TwilioRestException as error:
            outcomes[index] = error

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [(i, o) for i, o in enumerate(outcomes) if not isinstance(o, TwilioRestException)]
    losers = [o for o in outcomes if isinstance(o, TwilioRestException)]
    assert len(winners) == 1, outcomes
    assert all((e.status, e.code) == (400, 21422) for e in losers), [(e.status, e.code) for e in losers]
    index, number = winners[0]
    assert number.account_sid == accounts[index].sid
    # Another account sees nothing of it.
    other = clients[(index + 1) % len(clients)]
    with pytest.raises(TwilioRestException) as hidden:
        other.incoming_phone_numbers(number.sid).fetch()
    assert_rest_error(hidden.value, 404, 20404)
    assert other.incoming_phone_numbers.list() == []
    clients[index].incoming_phone_numbers(number.sid).delete()


def test_number_responses_match_twilios_spec(client, account, inventory):
    us = account.available_phone_numbers("US")
    found = us.local.list(area_code=415, page_size=2)
    us.toll_free.list()
    account.available_phone_numbers("GB").mobile.list()
    account.available_phone_numbers.list()
    account.available_phone_numbers("US").fetch()
    number = buy(account, found[0].phone_number)
    account.incoming_phone_numbers(number.sid).fetch()
    account.incoming_phone_numbers(number.sid).update(friendly_name=unique_name("schema"))
    list(account.incoming_phone_numbers.stream(page_size=1))
    account.incoming_phone_numbers.local.list()
    account.incoming_phone_numbers(number.sid).delete()

    seen = validate_exchanges(client, API_MOUNT)

    assert seen == {
        "ListAvailablePhoneNumberLocal", "ListAvailablePhoneNumberTollFree", "ListAvailablePhoneNumberMobile",
        "ListAvailablePhoneNumberCountry", "FetchAvailablePhoneNumberCountry", "CreateIncomingPhoneNumber",
        "FetchIncomingPhoneNumber", "UpdateIncomingPhoneNumber", "ListIncomingPhoneNumber",
        "ListIncomingPhoneNumberLocal", "DeleteIncomingPhoneNumber",
    }
