"""Websocket frames built once for every client of a channel (RFC 6455, section 5.2).

A message to a channel goes to every client on it as the same bytes: a server's frames are
not masked, and without permessage-deflate (off unless ``WEBSOCKET_COMPRESSION`` is set) they
carry the text as it is. So the frame is built once per message, and each caught-up client's
connection only writes those bytes (``server.wire.ws_protocol``), instead of one task per
client each framing the message again: a board that goes to 1,000 viewers held the event loop
for 50–120 ms that way, and every request arriving meanwhile waited (docs/performance.md).
"""

from __future__ import annotations

import struct

FIN_TEXT = 0x81  # FIN set, opcode 1: a whole text message in one frame
LENGTH_16, LENGTH_64 = 126, 127  # the 7-bit length field's markers: a 16-bit or 64-bit length follows


def text_frame(text: str) -> bytes:
    """The unmasked frame of one whole text message, as a server sends it."""
    payload = text.encode()
    size = len(payload)
    if size < LENGTH_16:
        head = bytes((FIN_TEXT, size))
    elif size < 1 << 16:
        head = struct.pack("!BBH", FIN_TEXT, LENGTH_16, size)
    else:
        head = struct.pack("!BBQ", FIN_TEXT, LENGTH_64, size)
    return head + payload
