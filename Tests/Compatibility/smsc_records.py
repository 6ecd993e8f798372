"""What the test SMSC records: the submissions it took and the answers to what it sent, and how a submission's
text is read (its concatenation header taken off, its data coding decoded)."""

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

from gsm7 import gsm7_decode

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
