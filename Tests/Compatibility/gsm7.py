"""GSM 03.38 default alphabet and extension table, as unpacked septets (one per byte): the test SMSC's text codec."""

from typing import Optional

# GSM 03.38 default alphabet (index = septet; 0x1B escapes to the extension table) and its extension table.
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~", 0x3E: "]",
                  0x40: "|", 0x65: "€"}
_GSM7_CODES = {char: bytes([code]) for code, char in enumerate(GSM7_BASIC) if code != 0x1B}
_GSM7_CODES.update({char: bytes([0x1B, code]) for code, char in GSM7_EXTENSION.items()})


def gsm7_encode(text: str, replacement: Optional[str] = None) -> bytes:
    """`text` as unpacked GSM 03.38 septets, extension characters escaped. Raises ValueError on a character
    outside the alphabet unless `replacement` (a character inside it) is given."""
    encoded = bytearray()
    for char in text:
        code = _GSM7_CODES.get(char, None if replacement is None else _GSM7_CODES[replacement])
        if code is None:
            raise ValueError(f"{char!r} is not in the GSM 03.38 alphabet")
        encoded += code
    return bytes(encoded)


def gsm7_decode(data: bytes) -> str:
    """Unpacked GSM 03.38 septets as text; an unknown extension code reads as its default-alphabet character."""
    chars, escaped = [], False
    for code in data:
        if escaped:
            chars.append(GSM7_EXTENSION.get(code, GSM7_BASIC[code & 0x7F]))
            escaped = False
        elif code == 0x1B:
            escaped = True
        else:
            chars.append(GSM7_BASIC[code & 0x7F])
    return "".join(chars)
