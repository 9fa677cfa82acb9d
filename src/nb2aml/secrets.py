"""Recognise credentials in string literals. Matching values (not code) by pattern is the point here."""

from __future__ import annotations

import math
import re
from collections import Counter

_PATTERNS = (
    ("Azure storage connection string", re.compile(r"DefaultEndpointsProtocol=https?;.*AccountKey=[A-Za-z0-9+/=]{20,}", re.I)),
    ("Azure storage account key", re.compile(r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}", re.I)),
    ("connection string with a secret", re.compile(r"(?:SharedAccessKey|Password|Pwd)=[^;\s]{6,}", re.I)),
    ("SAS token", re.compile(r"(?:^|[?&])sv=\d{4}-\d{2}-\d{2}&.*sig=[A-Za-z0-9%+/=]{16,}")),
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*")),
    ("password in a URL", re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]{3,}@")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
)
_SECRET_NAMES = re.compile(r"(pass(word|wd)?|pwd|secret|token|api_?key|access_?key|account_?key|client_?secret|auth|credential|sas|conn(ection)?_?str(ing)?|key)$", re.I)
_PASSWORD_NAMES = re.compile(r"^(pass(word|wd)?|pwd|db_?pass(word)?)$", re.I)
_HARMLESS = re.compile(r"^(\s*|<.*>|\*+|x+|your[_\- ].*|changeme|todo|none|null|placeholder)$", re.I)


def entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def classify_secret(value: str, bound_to: str | None) -> str | None:
    """The kind of credential `value` is, or None. `bound_to` is the name or keyword it is given to."""
    for kind, pattern in _PATTERNS:
        if pattern.search(value):
            return kind
    if bound_to is None or _HARMLESS.match(value):
        return None
    name = bound_to.lower()
    if _PASSWORD_NAMES.match(name) and len(value) >= 6 and " " not in value:
        return "password"
    if _SECRET_NAMES.search(name) and len(value) >= 16 and " " not in value and entropy(value) >= 3.5:
        return "secret"
    return None


def mask(value: str) -> str:
    return f"{len(value)} characters, starting {value[:4]!r}" if len(value) > 12 else f"{len(value)} characters"
