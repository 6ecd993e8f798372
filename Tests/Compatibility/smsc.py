"""A real test SMSC on 127.0.0.1: an SMPP 3.4 server for the messaging tests, built on smpplib's PDU classes.

    with SMSC(system_id="parley", password="secret") as smsc:    # ...point the ESME at 127.0.0.1:smsc.port...
        smsc.wait_for(lambda: smsc.bound, timeout=10, what="the bind")
        smsc.send_mo("15551230000", "15557654321", "Hi 👋")         # returns once every part is acknowledged
        smsc.wait_for(smsc.texts, timeout=10, what="the reply")     # [(source, destination, text, parts), ...]

One thread accepts connections, one reads and answers each connection, one sends the deliver_sm (receipts and
mobile-originated messages) to the most recently bound ESME; a deliver_sm not acknowledged when its connection
closes waits for the next bind, as in a real SMSC's store. smpplib parses the mandatory fields and generates the
answers; error responses are header-only (SMPP 3.4); TLVs are kept raw ({tag: value}) because smpplib rejects
tags it does not list for a command.
"""

import bisect
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple, TypeVar

from smpplib import command_codes, consts, exceptions, pdu as smpp_pdu, smpp
from smpplib.client import SimpleSequenceGenerator

from gsm7 import gsm7_encode
from smsc_records import DeliverResponse, Submission, decode_text, reassemble, split_for_delivery, user_data

T = TypeVar("T")

# Receipt stat values and their message_state TLV values (SMPP 3.4 5.2.28).
RECEIPT_STATES = {"DELIVRD": 2, "EXPIRED": 3, "DELETED": 4, "UNDELIV": 5, "ACCEPTD": 6, "UNKNOWN": 7, "REJECTD": 8}
DROP_WINDOW = 0.1  # seconds drop_after reads unanswered submit_sm before resetting the connection
_PARSING = SimpleSequenceGenerator()  # smpplib draws a sequence number for every request PDU it builds; unused


@dataclass(eq=False)
class _Delivery:
    """A deliver_sm to send from `due` (time.monotonic()), then to see acknowledged."""
    kind: str
    message_id: Optional[str]
    fields: dict
    due: float
    answered: threading.Event = field(default_factory=threading.Event)
    response: Optional[DeliverResponse] = None


class _Session:
    """One ESME connection. `bound`, `closed` and `in_flight` are guarded by the SMSC's condition."""

    def __init__(self, number: int, sock: socket.socket):
        self.number, self.sock, self.reader = number, sock, sock.makefile("rb")
        self.sequences = SimpleSequenceGenerator()
        self.send_lock = threading.Lock()
        self.bound = self.closed = False
        self.drop_deadline: Optional[float] = None  # time.monotonic() when drop_after's silent window ends
        self.in_flight: Dict[int, _Delivery] = {}  # deliver_sm sequence number -> delivery

    def read_pdu(self) -> bytes:
        """The next whole PDU; raises OSError when the connection ends or the drop window is over."""
        if self.drop_deadline is not None:
            remaining = self.drop_deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the drop window is over")
            self.sock.settimeout(remaining)
        header = self.reader.read(16)
        if len(header) < 16:
            raise ConnectionError("closed by the ESME")
        length = struct.unpack(">L", header[:4])[0]
        if not 16 <= length <= 65536:
            raise ConnectionError(f"command_length {length}")
        body = self.reader.read(length - 16)
        if len(body) < length - 16:
            raise ConnectionError("closed by the ESME")
        return header + body


class SMSC:
    """A test SMSC listening on 127.0.0.1:`port` inside its `with` block; one bound transceiver at a time.

    Records: `submissions` (accepted submit_sm), `unacknowledged` (read in a drop window, never answered),
    `throttled` (how many got ESME_RTHROTTLED), `deliver_responses`, `binds` (successful binds) and `errors`
    (PDUs it could not parse). `receipt_delay` (seconds) and `receipt_state` (a key of RECEIPT_STATES: DELIVRD
    gives err:000, the others err:001) shape the receipts scheduled from then on and may be changed at any time."""

    def __init__(self, system_id: str = "parley", password: str = "secret", receipt_delay: float = 0.05,
                 receipt_state: str = "DELIVRD"):
        if receipt_state not in RECEIPT_STATES:
            raise ValueError(f"receipt_state must be one of {sorted(RECEIPT_STATES)}")
        self.system_id, self.password = system_id, password
        self.receipt_delay, self.receipt_state = receipt_delay, receipt_state
        self.port: Optional[int] = None
        self.submissions: List[Submission] = []
        self.unacknowledged: List[Submission] = []
        self.deliver_responses: List[DeliverResponse] = []
        self.throttled = self.binds = 0
        self.errors: List[str] = []
        self._cond = threading.Condition()  # guards the counters below, the outbox and the sessions' state
        self._sessions: List[_Session] = []
        self._outbox: List[_Delivery] = []  # sorted by due
        self._threads: List[threading.Thread] = []
        self._stopping = False
        self._throttle_remaining = self._last_message_id = self._last_reference = 0
        self._drop_countdown: Optional[int] = None
        self._listener: Optional[socket.socket] = None

    @property
    def bound(self) -> bool:
        """Whether an ESME is bound now."""
        with self._cond:
            return any(session.bound for session in self._sessions)

    def __enter__(self) -> "SMSC":
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._start(self._accept_loop, "smsc-accept")
        self._start(self._deliver_loop, "smsc-deliver")
        return self

    def __exit__(self, *exc_info) -> None:
        """Closes the listener and every connection, and joins the threads (2 s at most)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for sock in [self._listener] + [session.sock for session in self._sessions]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed
        self._listener.close()
        deadline = time.monotonic() + 2
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def throttle(self, count: int) -> None:
        """The next `count` submit_sm get ESME_RTHROTTLED (0x58) and are not accepted."""
        with self._cond:
            self._throttle_remaining = count

    def drop_after(self, count: int) -> None:
        """After accepting `count` more submit_sm (0: from the next one on), read for DROP_WINDOW seconds without
        answering (submit_sm go to `unacknowledged`), then reset the connection. Later connections work normally."""
        with self._cond:
            self._drop_countdown = count

    def send_mo(self, source: str, destination: str, text: str, timeout: float = 5.0) -> List[DeliverResponse]:
        """Delivers a mobile-originated message to the bound ESME (or the next to bind); returns the deliver_sm_resp
        of each part. GSM-7 (data_coding 0) when the text fits the alphabet, else UCS-2 (8); over 160 septets / 70
        UTF-16 units, parts of 153 / 67 with a concatenation UDH (esm_class 0x40). Addresses go as TON 1 / NPI 1
        without '+'. Raises TimeoutError when a part is not acknowledged within `timeout` seconds (unsent parts
        are withdrawn)."""
        data_coding, esm_class, parts = self._mo_parts(text)
        now = time.monotonic()
        deliveries = [_Delivery("mo", None, dict(_addressing(source, destination), esm_class=esm_class,
                                                 data_coding=data_coding, short_message=part), now) for part in parts]
        self._enqueue(deliveries)
        for number, delivery in enumerate(deliveries, start=1):
            if not delivery.answered.wait(max(0.0, now + timeout - time.monotonic())):
                with self._cond:
                    self._outbox = [queued for queued in self._outbox if queued not in deliveries]
                raise TimeoutError(f"no deliver_sm_resp for MO part {number}/{len(parts)} within {timeout} s")
        return [delivery.response for delivery in deliveries]

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, what: str = "the condition") -> T:
        """Polls `predicate()` every 20 ms until it is truthy and returns its value; raises AssertionError naming
        `what` after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {what}; connections {len(self._sessions)}, binds "
                    f"{self.binds}, accepted {len(self.submissions)}, throttled {self.throttled}, unacknowledged "
                    f"{len(self.unacknowledged)}, deliver_sm_resp {len(self.deliver_responses)}, errors {self.errors}")
            time.sleep(0.02)
        return result

    def texts(self) -> List[Tuple[str, str, str, int]]:
        """The accepted submissions as (source, destination, text, parts), in order of first part (see
        `smsc_records.reassemble`)."""
        return reassemble(list(self.submissions))

    # Connections

    def _start(self, target: Callable, name: str, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return  # the listener was shut down
            with self._cond:
                if self._stopping:
                    sock.close()
                    return
                session = _Session(len(self._sessions) + 1, sock)
                self._sessions.append(session)
                self._start(self._read_loop, f"smsc-connection-{session.number}", session)

    def _read_loop(self, session: _Session) -> None:
        try:
            while self._serve(session, session.read_pdu()):
                pass
        except OSError:
            pass  # closed by the ESME or by __exit__, or the drop window is over
        finally:
            with self._cond:
                session.closed, session.bound = True, False
                for delivery in session.in_flight.values():
                    bisect.insort(self._outbox, delivery, key=lambda queued: queued.due)
                session.in_flight.clear()
                self._cond.notify_all()
            if session.drop_deadline is not None:  # abruptly: RST, not FIN
                session.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            session.reader.close()
            session.sock.close()

    def _serve(self, session: _Session, data: bytes) -> bool:
        """Acts on one PDU; False when the connection is to be closed."""
        sequence = struct.unpack(">L", data[12:16])[0]
        try:
            request = _parse(data)
        except exceptions.UnknownCommandError:
            self._respond(session, "generic_nack", sequence, consts.SMPP_ESME_RINVCMDID)
            return True
        except Exception as error:  # malformed: answer and keep the connection, as an SMSC would
            self.errors.append(f"connection {session.number}: cannot parse {data.hex()}: {error!r}")
            self._respond(session, "generic_nack", sequence, consts.SMPP_ESME_RSYSERR)
            return True
        command = request.command
        if session.drop_deadline is not None and request.is_request():
            if command == "submit_sm":
                self.unacknowledged.append(self._submission(session, request, None))
        elif command == "bind_transceiver":
            return self._bind(session, request)
        elif command == "enquire_link":
            self._respond(session, "enquire_link_resp", sequence)
        elif command == "unbind":
            self._respond(session, "unbind_resp", sequence)
            return False
        elif command == "submit_sm":
            self._submit(session, request)
        elif command == "deliver_sm_resp":
            self._acknowledged(session, request)
        elif request.is_request():
            self._respond(session, "generic_nack", sequence, consts.SMPP_ESME_RINVCMDID)
        return True

    def _respond(self, session: _Session, command: str, sequence: int, status: int = consts.SMPP_ESME_ROK,
                 **fields) -> None:
        if status == consts.SMPP_ESME_ROK:
            response = smpp.make_pdu(command, **fields)
            response.sequence = sequence
            data = response.generate()
        else:
            data = struct.pack(">LLLL", 16, command_codes.get_command_code(command), status, sequence)
        with session.send_lock:
            session.sock.sendall(data)

    def _bind(self, session: _Session, request) -> bool:
        if (request.system_id, request.password) != (self.system_id.encode(), self.password.encode()):
            self._respond(session, "bind_transceiver_resp", request.sequence, consts.SMPP_ESME_RINVPASWD)
            return False
        self._respond(session, "bind_transceiver_resp", request.sequence, system_id="TestSMSC")
        with self._cond:
            session.bound = True
            self.binds += 1
            self._cond.notify_all()
        return True

    def _submit(self, session: _Session, request) -> None:
        if not session.bound:
            self._respond(session, "submit_sm_resp", request.sequence, consts.SMPP_ESME_RINVBNDSTS)
            return
        with self._cond:
            if self._throttle_remaining > 0:
                self._throttle_remaining -= 1
                self.throttled += 1
                accepted = None
            elif self._drop_countdown == 0:
                self._start_drop(session)
                self.unacknowledged.append(self._submission(session, request, None))
                return
            else:
                self._last_message_id += 1
                accepted = self._submission(session, request, "%08x" % self._last_message_id)
                self.submissions.append(accepted)
                if self._drop_countdown is not None:
                    self._drop_countdown -= 1
                    if self._drop_countdown == 0:
                        self._start_drop(session)
        if accepted is None:
            self._respond(session, "submit_sm_resp", request.sequence, consts.SMPP_ESME_RTHROTTLED)
        else:
            self._respond(session, "submit_sm_resp", request.sequence, message_id=accepted.message_id)
            self._schedule_receipt(accepted)

    def _start_drop(self, session: _Session) -> None:
        self._drop_countdown = None
        session.drop_deadline = time.monotonic() + DROP_WINDOW

    @staticmethod
    def _submission(session: _Session, request, message_id: Optional[str]) -> Submission:
        return Submission(
            (request.source_addr or b"").decode("latin-1"), (request.destination_addr or b"").decode("latin-1"),
            request.esm_class, request.data_coding, request.registered_delivery, request.short_message or b"",
            request.tlvs, message_id, session.number, time.time())

    # Deliveries

    def _schedule_receipt(self, submission: Submission) -> None:
        """Queues the receipt registered_delivery asks for: always (1) or on failure only (2)."""
        state, wanted = self.receipt_state, submission.registered_delivery & 0x03
        if not (wanted == 1 or (wanted == 2 and state != "DELIVRD")):
            return
        delivered, stamp = state == "DELIVRD", "%y%m%d%H%M"
        text = (f"id:{submission.message_id} sub:001 dlvrd:{'001' if delivered else '000'}"
                f" submit date:{time.strftime(stamp, time.gmtime(submission.received_at))}"
                f" done date:{time.strftime(stamp, time.gmtime(time.time() + self.receipt_delay))}"
                f" stat:{state} err:{'000' if delivered else '001'}"
                f" text:{decode_text(user_data(submission)[2], submission.data_coding)[:20]}")
        fields = dict(_addressing(submission.destination_addr, submission.source_addr), esm_class=0x04,
                      data_coding=0, short_message=gsm7_encode(text, replacement="?"),
                      receipted_message_id=submission.message_id, message_state=RECEIPT_STATES[state])
        self._enqueue([_Delivery("receipt", submission.message_id, fields, time.monotonic() + self.receipt_delay)])

    def _mo_parts(self, text: str) -> Tuple[int, int, List[bytes]]:
        """(data_coding, esm_class, short_message of each part), under the next concatenation reference."""
        with self._cond:
            self._last_reference = self._last_reference % 255 + 1
            reference = self._last_reference
        return split_for_delivery(text, reference)

    def _enqueue(self, deliveries: List[_Delivery]) -> None:
        with self._cond:
            for delivery in deliveries:
                bisect.insort(self._outbox, delivery, key=lambda queued: queued.due)
            self._cond.notify_all()

    def _deliver_loop(self) -> None:
        """Sends each due deliver_sm to the most recently bound connection that is not in a drop window."""
        while True:
            with self._cond:
                while True:
                    if self._stopping:
                        return
                    session = next((candidate for candidate in reversed(self._sessions)
                                    if candidate.bound and candidate.drop_deadline is None), None)
                    wait = self._outbox[0].due - time.monotonic() if self._outbox and session else None
                    if wait is not None and wait <= 0:
                        delivery = self._outbox.pop(0)
                        break
                    self._cond.wait(wait)
            with session.send_lock:
                deliver_sm = smpp.make_pdu("deliver_sm", client=session.sequences, **delivery.fields)
                with self._cond:
                    if session.closed:
                        bisect.insort(self._outbox, delivery, key=lambda queued: queued.due)
                        continue
                    session.in_flight[deliver_sm.sequence] = delivery
                try:
                    session.sock.sendall(deliver_sm.generate())
                except OSError:
                    pass  # the reader sees the connection end and queues the delivery again

    def _acknowledged(self, session: _Session, response) -> None:
        with self._cond:
            delivery = session.in_flight.pop(response.sequence, None)
            if delivery is None:
                return
            delivery.response = DeliverResponse(delivery.kind, delivery.message_id, response.sequence,
                                                response.status, session.number, time.time())
            self.deliver_responses.append(delivery.response)
        delivery.answered.set()


def _parse(data: bytes):
    """The PDU with its mandatory fields parsed by smpplib and `tlvs` ({tag: raw value}) split here."""
    request = smpp.make_pdu(smpp_pdu.extract_command(data), client=_PARSING)
    tails: List[bytes] = []
    request.parse_optional_params = tails.append  # smpplib hands over the TLV area instead of parsing it
    request.parse(data)
    request.tlvs, tail, position = {}, b"".join(tails), 0
    while position + 4 <= len(tail):
        tag, length = struct.unpack_from(">HH", tail, position)
        request.tlvs[tag] = tail[position + 4:position + 4 + length]
        position += 4 + length
    return request


def _addressing(source: str, destination: str) -> dict:
    """deliver_sm address fields: international (TON 1) ISDN (NPI 1) numbers, without '+'."""
    return dict(source_addr_ton=1, source_addr_npi=1, source_addr=source.lstrip("+"),
                dest_addr_ton=1, dest_addr_npi=1, destination_addr=destination.lstrip("+"))
