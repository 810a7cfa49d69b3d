"""The errors the core raises for a request it cannot answer, by what the sender can do about it.

Each module raises its own error (the gate's `Refused`, the workers' `QueryTimeout`, the profile's
`ProfileError`, …) as a subclass of one of these kinds; the faces say the message, and the web maps
the kind to an HTTP status in one table (`web/errors.py`). A new error therefore needs no new
`except` anywhere: it chooses its kind.
"""

from __future__ import annotations


class IpkgError(Exception):
    """A request the service will not or cannot answer; the message says why, in words a person can act on."""


class InvalidRequest(IpkgError):
    """The request is wrong (a malformed query or profile, a bad parameter): fix it and send it again."""


class NotPermitted(IpkgError):
    """The request asks for something this service never does (an update on a read-only endpoint)."""


class NotFound(IpkgError):
    """The request names something the service does not have."""


class NotAcceptable(IpkgError):
    """The answer cannot be given in any form the request accepts."""


class TooLarge(IpkgError):
    """The request is larger than the service accepts."""


class UnsupportedMediaType(IpkgError):
    """The request body is of a type (or charset) the service does not read."""


class Busy(IpkgError):
    """Every worker is taken: the same request may succeed shortly."""


class TimedOut(IpkgError):
    """The request's evaluation was stopped at the deadline: a narrower request, or a later one, may succeed."""


class Unavailable(IpkgError):
    """Something the service depends on (a remote store) cannot be reached; not the sender's fault."""


def timeout_message(seconds: float) -> str:
    """The one wording of a stopped query, whichever store ran it, so that clients see one behaviour."""
    return f"query stopped after the {seconds:g} s time limit (IPKG_QUERY_TIMEOUT); narrow the query or add a LIMIT"
