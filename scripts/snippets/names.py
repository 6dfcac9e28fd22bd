"""Name and value syntax the API server enforces, ported from
k8s.io/apimachinery/pkg/util/validation and pkg/api/resource (same regexes, limits and
error wording), so a snippet that passes here passes `kubectl apply`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
CONFIG_MAP_KEY = re.compile(r"[-._a-zA-Z0-9]+")
IANA_SVC_NAME = re.compile(r"[-a-z0-9]+")
PERCENT = re.compile(r"[0-9]+%")
QUANTITY = re.compile(
    r"(?P<sign>[+-]?)(?P<num>[0-9]+(\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?"
)
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def dns1123_label(value: str) -> str | None:
    """None when valid, else the API server's explanation."""
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not DNS1123_LABEL.fullmatch(value):
        return (
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            "and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')"
        )
    return None


def dns1123_subdomain(value: str) -> str | None:
    if len(value) > 253:
        return "must be no more than 253 characters"
    if not DNS1123_SUBDOMAIN.fullmatch(value):
        return (
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '-' "
            "or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"
        )
    return None


def dns1035_label(value: str) -> str | None:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if not DNS1035_LABEL.fullmatch(value):
        return (
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            "start with an alphabetic character, and end with an alphanumeric character "
            "(e.g. 'my-name', or 'abc-123')"
        )
    return None


def path_segment(value: str) -> str | None:
    """RBAC and PV names: anything that is a valid URL path segment."""
    if value in (".", ".."):
        return f"may not be '{value}'"
    for bad in ("/", "%"):
        if bad in value:
            return f"may not contain '{bad}'"
    return None


def qualified_name(value: str) -> str | None:
    """Label and annotation keys: optional DNS subdomain prefix, '/', name part."""
    prefix, slash, name = value.rpartition("/")
    if slash:
        if not prefix:
            return "prefix part must be non-empty"
        problem = dns1123_subdomain(prefix)
        if problem:
            return f"prefix part {problem}"
    if not name:
        return "name part must be non-empty"
    if len(name) > 63:
        return "name part must be no more than 63 characters"
    if not QUALIFIED_NAME.fullmatch(name):
        return (
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
            "and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')"
        )
    return None


def label_value(value: str) -> str | None:
    if len(value) > 63:
        return "must be no more than 63 characters"
    if value and not QUALIFIED_NAME.fullmatch(value):
        return (
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
            "or '.', and must start and end with an alphanumeric character "
            "(e.g. 'MyValue', or 'my_value', or '12345')"
        )
    return None


def config_map_key(value: str) -> str | None:
    if len(value) > 253:
        return "must be no more than 253 characters"
    if not CONFIG_MAP_KEY.fullmatch(value):
        return (
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
            "(e.g. 'key.name')"
        )
    if value in (".", "..") or value.startswith(".."):
        return "must not be '.' or '..' or start with '..'"
    return None


def iana_svc_name(value: str) -> str | None:
    """Named ports (containerPort names, targetPort names)."""
    if len(value) > 15:
        return "must be no more than 15 characters"
    if not IANA_SVC_NAME.fullmatch(value):
        return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
    if "--" in value:
        return "must not contain consecutive hyphens"
    if not re.search("[a-z]", value):
        return "must contain at least one letter (a-z)"
    if value.startswith("-") or value.endswith("-"):
        return "must not begin or end with a hyphen"
    return None


def parse_quantity(value: object) -> Decimal | None:
    """The value of a resource.Quantity, or None when the API server would reject it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    m = QUANTITY.fullmatch(value)
    if not m:
        return None
    try:
        number = Decimal(m["num"])
    except InvalidOperation:
        return None
    if m["sign"] == "-":
        number = -number
    suffix = m["suffix"] or ""
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix[:1] in ("e", "E"):
        return number.scaleb(int(suffix[1:]))
    return number.scaleb(_DECIMAL[suffix])


def int_or_percent(value: object) -> str | None:
    """IntOrString fields that take a count or a percentage (maxSurge, minAvailable)."""
    if isinstance(value, bool):
        return "must be an integer or percentage (e.g. '5%')"
    if isinstance(value, int):
        return "must be greater than or equal to 0" if value < 0 else None
    if isinstance(value, str) and PERCENT.fullmatch(value):
        return None
    return (
        "a valid percent string must be a numeric string followed by an ending '%' "
        "(e.g. '1%',  or '93%')"
    )
