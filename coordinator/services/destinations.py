"""Checking a channel's destination against the SSRF rules, with DNS: when it is made and before every send."""
from __future__ import annotations

import socket

from coordinator.domain import destinations as rules
from coordinator.domain.destinations import AllowList, Destination
from coordinator.domain.errors import FieldError, InvalidInput


def resolve(destination: Destination) -> list[rules.IPAddress]:
    """Every address DNS gives for the destination's host (a literal address is itself)."""
    literal = rules.literal_address(destination.host)
    if literal is not None:
        return [literal]
    infos = socket.getaddrinfo(destination.host, destination.port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(rules.literal_address(info[4][0]) for info in infos))


def refused(destination: Destination, allow: AllowList) -> str | None:
    """Why the destination may not be sent to now (any of its addresses refused), or None; DNS errors raise."""
    for address in resolve(destination):
        reason = rules.refusal(destination, address, allow)
        if reason:
            return reason
    return None


def check_destination(url: str, allow: AllowList) -> str:
    """The URL, stripped, if messages may go there; InvalidInput (422) on the field url otherwise.

    A name DNS cannot resolve now is accepted: it is checked again, with DNS, before every send.
    """
    url = url.strip()
    try:
        destination = rules.parse_url(url)
    except ValueError as exc:
        raise InvalidInput(f"This URL cannot receive messages: {exc}.", [FieldError(str(exc), field="url")]) from exc
    try:
        reason = refused(destination, allow)
    except (OSError, UnicodeError):
        reason = None
    if reason:
        raise InvalidInput(f"This URL cannot receive messages: {reason}.", [FieldError(reason, field="url")])
    return url
