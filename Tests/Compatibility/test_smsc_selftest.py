"""Self-test of the test SMSC (smsc.py), driven by smpplib's own client; it needs no Parley server."""

import threading
import time
from contextlib import contextmanager

import pytest
import smpplib.client
import smpplib.consts
import smpplib.exceptions
import smpplib.gsm

from smsc import SMSC

SOURCE, DESTINATION = "15550001111", "15550002222"
# 344 characters, 362 septets ("€{}" are escaped): smpplib splits it into three parts, maybe through an escape.
LONG_TEXT = "Parley SMSC self-test: " + "the quick brown fox jumps over the lazy dog {€} @ é! " * 6 + "end"


class Esme:
    """A bound smpplib transceiver that collects the submit_sm_resp and deliver_sm it receives."""

    def __init__(self, client: smpplib.client.Client):
        self.client = client
        self.submit_responses, self.deliveries = [], []
        client.set_message_sent_handler(lambda pdu: self.submit_responses.append(pdu))
        client.set_message_received_handler(lambda pdu: self.deliveries.append(pdu))  # None: answered ESME_ROK
        client.set_error_pdu_handler(lambda pdu: None)  # error responses still reach the sent handler

    def submit(self, short_message: bytes, esm_class: int = 0, data_coding: int = 0, registered_delivery: int = 0):
        self.client.send_message(
            source_addr_ton=1, source_addr_npi=1, source_addr=SOURCE, dest_addr_ton=1, dest_addr_npi=1,
            destination_addr=DESTINATION, short_message=short_message, esm_class=esm_class, data_coding=data_coding,
            registered_delivery=registered_delivery)

    def pump(self, until, timeout: float = 5.0) -> None:
        """Reads and handles PDUs (answering deliver_sm) until `until()` holds."""
        deadline = time.monotonic() + timeout
        while not until():
            assert time.monotonic() < deadline, "the smpplib client timed out"
            self.client.read_once()


@contextmanager
def esme(smsc: SMSC, password: str = "secret"):
    """An Esme bound to `smsc`; it unbinds at the end unless the test disconnected it."""
    client = smpplib.client.Client("127.0.0.1", smsc.port, timeout=2, allow_unknown_opt_params=True)
    try:
        client.connect()
        client.bind_transceiver(system_id="parley", password=password)
        yield Esme(client)
        if client.state == smpplib.consts.SMPP_CLIENT_STATE_BOUND_TRX:
            assert client.unbind().command == "unbind_resp"
    finally:
        client.disconnect()


def test_long_gsm_message_is_submitted_in_parts_receipted_and_reassembled():
    parts, data_coding, esm_class = smpplib.gsm.make_parts(LONG_TEXT)
    assert (len(parts), data_coding, esm_class) == (3, 0, 0x40)
    with SMSC(system_id="parley", password="secret") as smsc, esme(smsc) as client:
        assert smsc.wait_for(lambda: smsc.bound, timeout=5, what="the bind") and smsc.binds == 1
        for part in parts:
            client.submit(part, esm_class=esm_class, data_coding=data_coding, registered_delivery=1)
        client.pump(lambda: len(client.submit_responses) == 3 and len(client.deliveries) == 3)

        reference = parts[0][3]
        assert [s.short_message[:6] for s in smsc.submissions] == [bytes([5, 0, 3, reference, 3, n]) for n in (1, 2, 3)]
        assert [s.short_message for s in smsc.submissions] == parts
        assert {(s.source_addr, s.destination_addr, s.esm_class, s.data_coding, s.registered_delivery)
                for s in smsc.submissions} == {(SOURCE, DESTINATION, 0x40, 0, 1)}
        message_ids = [response.message_id.decode() for response in client.submit_responses]
        assert message_ids == [s.message_id for s in smsc.submissions] == ["00000001", "00000002", "00000003"]

        for receipt, message_id in zip(client.deliveries, message_ids):
            addressing = (receipt.esm_class, receipt.source_addr, receipt.destination_addr)
            assert addressing == (0x04, DESTINATION.encode(), SOURCE.encode())
            text = receipt.short_message.decode()
            assert text.startswith(f"id:{message_id} sub:001 dlvrd:001 submit date:")
            assert " stat:DELIVRD err:000 text:" in text
            assert (receipt.receipted_message_id, receipt.message_state) == (message_id.encode(), 2)
        assert client.deliveries[0].short_message.decode().endswith(" text:" + LONG_TEXT[:20])
        smsc.wait_for(lambda: len(smsc.deliver_responses) == 3, timeout=5, what="the receipts' responses")
        assert [(r.kind, r.message_id, r.status) for r in smsc.deliver_responses] == \
            [("receipt", message_id, 0) for message_id in message_ids]

        assert smsc.texts() == [(SOURCE, DESTINATION, LONG_TEXT, 3)]
        assert smsc.errors == []


def test_throttled_submit_gets_esme_rthrottled_and_the_next_is_accepted():
    with SMSC() as smsc, esme(smsc) as client:
        smsc.throttle(1)
        client.submit(b"first")
        client.submit(b"second")
        client.pump(lambda: len(client.submit_responses) == 2)
        assert [response.status for response in client.submit_responses] == [0x58, 0]
        assert (smsc.throttled, smsc.texts()) == (1, [(SOURCE, DESTINATION, "second", 1)])


def test_mobile_originated_ucs2_text_is_split_and_reaches_the_client():
    text = "Emoji from the handset 👋🎉 " * 3  # 84 UTF-16 units: two UCS-2 parts
    with SMSC() as smsc, esme(smsc) as client:
        outcome = {}

        def send_mo():  # blocks until the client has answered every part, so it runs beside the client's loop
            outcome["responses"] = smsc.send_mo("+" + SOURCE, DESTINATION, text)

        sender = threading.Thread(target=send_mo)
        sender.start()
        client.pump(lambda: len(client.deliveries) == 2)
        sender.join(5)
        assert [(r.kind, r.status) for r in outcome["responses"]] == [("mo", 0), ("mo", 0)]

        first, second = client.deliveries
        assert {(d.esm_class, d.data_coding, d.source_addr, d.destination_addr) for d in client.deliveries} == \
            {(0x40, 8, SOURCE.encode(), DESTINATION.encode())}
        reference = first.short_message[3]
        udh = [bytes([5, 0, 3, reference, 2, number]) for number in (1, 2)]
        assert [first.short_message[:6], second.short_message[:6]] == udh
        assert (first.short_message[6:] + second.short_message[6:]).decode("utf-16-be") == text


def test_wrong_password_is_refused_and_a_dropped_connection_is_followed_by_a_working_one():
    with SMSC() as smsc:
        with pytest.raises(smpplib.exceptions.PDUError) as refused, esme(smsc, password="wrong"):
            pass
        assert refused.value.args[1] == 0x0E and smsc.binds == 0

        smsc.drop_after(1)
        with esme(smsc) as client:
            client.submit(b"answered")
            client.submit(b"never answered")
            with pytest.raises(smpplib.exceptions.ConnectionError):
                client.pump(lambda: False)
            client.client.disconnect()
        assert [r.status for r in client.submit_responses] == [0]
        assert [(s.short_message, s.message_id) for s in smsc.unacknowledged] == [(b"never answered", None)]

        with esme(smsc) as client:
            client.submit(b"after the drop")
            client.pump(lambda: client.submit_responses)
        assert [(s.short_message, s.connection) for s in smsc.submissions] == [(b"answered", 2), (b"after the drop", 3)]
        assert smsc.binds == 2
