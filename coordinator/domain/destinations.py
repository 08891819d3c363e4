"""Where messages may go: http(s) only, and never to loopback, private or link-local addresses unless allowed.

The check runs on the URL when a channel is made and again on every address DNS gives at delivery, so a name that
later points inside the network (DNS rebinding) is refused too (SSRF).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class AllowList:
    """NOTIFY_ALLOW_PRIVATE: host:port pairs and networks that may be sent to although private."""

    host_ports: frozenset[tuple[str, int]] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, raw: str) -> "AllowList":
        """Read the comma-separated list; garbage is an error at start-up, not a silent hole."""
        pairs, networks = set(), []
        for part in (p.strip() for p in (raw or "").split(",")):
            if not part:
                continue
            if "/" in part:
                networks.append(ipaddress.ip_network(part, strict=False))
                continue
            host, sep, port = part.rpartition(":")
            if not sep or not port.isdigit() or not host:
                raise ValueError(f"NOTIFY_ALLOW_PRIVATE entries are host:port or CIDR, got {part!r}")
            pairs.add((host.strip("[]").lower(), int(port)))
        return cls(frozenset(pairs), tuple(networks))

    def allows(self, host: str, address: IPAddress, port: int) -> bool:
        """True when this destination is listed (by name or address with its port, or by network)."""
        if (host.lower(), port) in self.host_ports or (str(address), port) in self.host_ports:
            return True
        return any(address in network for network in self.networks)


@dataclass(frozen=True)
class Destination:
    """A URL's parts that matter for sending."""

    scheme: str
    host: str
    port: int


def parse_url(url: str) -> Destination:
    """The destination of a channel URL; ValueError says what is wrong with it."""
    if len(url) > 2000:
        raise ValueError("the URL is longer than 2000 characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise ValueError("only http and https URLs can receive messages")
    if not parts.hostname:
        raise ValueError("the URL names no host")
    if parts.username or parts.password:
        raise ValueError("put credentials in the channel's secret, not in the URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ValueError("the URL's port is not a number from 1 to 65535") from exc
    return Destination(parts.scheme, parts.hostname, port)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names literally (127.0.0.1, [::1]), else None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public(address: IPAddress) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def refusal(destination: Destination, address: IPAddress, allow: AllowList) -> str | None:
    """Why this address may not be sent to, or None when it may."""
    if is_public(address) or allow.allows(destination.host, address, destination.port):
        return None
    return (f"{address} is a loopback, private or link-local address; list {destination.host}:{destination.port} "
            "in NOTIFY_ALLOW_PRIVATE to send there")
