"""What the test SMSC records (the submissions it took, the answers to what it sent) and its text work: reading
submissions back into messages, splitting a mobile-originated text into parts."""

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from gsm7 import gsm7_decode, gsm7_encode

UDHI = 0x40
TLV_MESSAGE_PAYLOAD = 0x0424


@dataclass
class Submission:
    """One submit_sm as it arrived; `message_id` is None for the unacknowledged ones (see `SMSC.drop_after`)."""
    source_addr: str
    destination_addr: str
    esm_class: int
    data_coding: int
    registered_delivery: int
    short_message: bytes  # raw, UDH included
    tlvs: Dict[int, bytes]  # tag -> raw value
    message_id: Optional[str]
    connection: int  # 1 for the SMSC's first TCP connection, 2 for the next...
    received_at: float  # time.time()


@dataclass
class DeliverResponse:
    """The ESME's deliver_sm_resp to a receipt (`message_id` is the receipted id) or to an MO part."""
    kind: str  # "receipt" or "mo"
    message_id: Optional[str]
    sequence: int
    status: int
    connection: int
    received_at: float


def user_data(submission: Submission) -> Tuple[Optional[int], int, bytes]:
    """(concatenation reference or None, part number, text bytes): short_message (else the message_payload TLV),
    without its UDH when esm_class has UDHI."""
    data = submission.short_message or submission.tlvs.get(TLV_MESSAGE_PAYLOAD, b"")
    if not (submission.esm_class & UDHI and data):
        return None, 1, data
    header, body, position = data[1:1 + data[0]], data[1 + data[0]:], 0
    while position + 2 <= len(header):
        element, length = header[position], header[position + 1]
        value = header[position + 2:position + 2 + length]
        if element == 0x00 and length == 3:
            return value[0], value[2], body
        if element == 0x08 and length == 4:
            return value[0] << 8 | value[1], value[3], body
        position += 2 + length
    return None, 1, body


def decode_text(data: bytes, data_coding: int) -> str:
    """A part's text: GSM-7 unpacked (0), UTF-16-BE (8), else Latin-1."""
    if data_coding == 0:
        return gsm7_decode(data)
    return data.decode("utf-16-be", errors="replace") if data_coding == 8 else data.decode("latin-1")


def reassemble(submissions: List[Submission]) -> List[Tuple[str, str, str, int]]:
    """Submissions as (source, destination, text, parts), in order of first part. Parts are grouped by (source,
    destination, concatenation reference from the UDH, 8- or 16-bit) and joined in part order before decoding
    (data_coding 0 GSM-7, 8 UTF-16-BE, others Latin-1); a part number seen again under a reference starts a new
    message."""
    messages: List[Tuple[Submission, Dict[int, bytes]]] = []
    open_messages: Dict[Tuple[str, str, Optional[int]], Dict[int, bytes]] = {}
    for submission in submissions:
        reference, number, body = user_data(submission)
        key = (submission.source_addr, submission.destination_addr, reference)
        parts = open_messages.get(key)
        if reference is None or parts is None or number in parts:
            parts = open_messages[key] = {}
            messages.append((submission, parts))
        parts[number] = body
    return [(first.source_addr, first.destination_addr,
             decode_text(b"".join(parts[number] for number in sorted(parts)), first.data_coding), len(parts))
            for first, parts in messages]


def split_for_delivery(text: str, reference: int) -> Tuple[int, int, List[bytes]]:
    """(data_coding, esm_class, short_message of each part) for a deliver_sm of `text`: GSM-7 when it fits the
    alphabet, else UTF-16-BE; longer than one part, 153/67-character parts with a concatenation UDH under
    `reference`. Never splits an escape or a surrogate pair."""
    try:
        data, data_coding, single, part, unit = gsm7_encode(text), 0, 160, 153, 1
    except ValueError:
        data, data_coding, single, part, unit = text.encode("utf-16-be"), 8, 140, 134, 2
    if len(data) <= single:
        return data_coding, 0, [data]
    chunks = []
    while data:
        cut = min(part, len(data))
        if cut < len(data) and (data[cut - 1] == 0x1B if unit == 1 else 0xD8 <= data[cut - 2] <= 0xDB):
            cut -= unit
        chunks.append(data[:cut])
        data = data[cut:]
    udh = bytes([0x05, 0x00, 0x03, reference, len(chunks)])
    return data_coding, UDHI, [udh + bytes([number]) + chunk for number, chunk in enumerate(chunks, start=1)]
