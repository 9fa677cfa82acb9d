"""Recognise credentials in string literals. Matching values (not code) by pattern is the point here.

Every pattern runs in time linear in the literal's length: a notebook may hold a megabyte-long
string (an embedded CSV, a base64 image) and `analyze` must stay fast on it.
"""

from __future__ import annotations

import math
import re
from collections import Counter

# Placeholders that are not credentials: `${DB_PASSWORD}`, `{password}`, `<your key>`, `%(pw)s`, `****`.
_PLACEHOLDER = re.compile(r"^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{[^{}]*\}|<[^<>]*>|%\([A-Za-z_]\w*\)s|%s|\*+|x+|X+|\.+)$")

# (kind, pattern, needles): the pattern only runs when one of the needles is in the literal
# (lower-cased for the case-insensitive ones), so a long literal costs a few substring searches.
_PATTERNS = (
    ("Azure storage account key", re.compile(r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}", re.I), ("accountkey=",)),
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), ("AKIA", "ASIA")),
    ("bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*"), ("Bearer",)),
    ("basic authentication header", re.compile(r"^\s*Basic\s+[A-Za-z0-9+/]{12,}={0,2}\s*$"), ("Basic",)),
    (
        "private key",
        re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
        ("PRIVATE KEY-----",),
    ),
    (
        "GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b"),
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    ("OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}"), ("sk-",)),
    ("Stripe secret key", re.compile(r"\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}"), ("k_live_", "k_test_")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z\-_]{35}"), ("AIza",)),
    ("Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}"), ("xox",)),
    ("Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"), ("hf_",)),
    ("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), ("eyJ",)),
)
# Kinds whose match must also hold a digit: `sk-learn-is-a-great-library` is prose, not a key.
_NEEDS_DIGIT = frozenset({"OpenAI API key"})
_CONNECTION_STRING = re.compile(r"DefaultEndpointsProtocol=https?;", re.I)
_ACCOUNT_KEY = re.compile(r"AccountKey=([^;\s'\"]{20,})", re.I)
# `Password=...;` in ODBC / ADO.NET strings, `SharedAccessKey=...` in Service Bus and Event Hubs ones.
_KEY_VALUE_SECRET = re.compile(r"(?:^|[;\s])(?:SharedAccessKey|Password|Pwd)=([^;\s]{6,})", re.I)
# SAS: a signature and a signed version or expiry, in any order (`?sp=r&st=...&se=...&sv=...&sig=...`).
_SAS_SIGNATURE = re.compile(r"(?:^|[?&;])sig=[A-Za-z0-9%+/=]{16,}")
_SAS_SIGNATURE_VALUE = re.compile(r"(?:^|[?&;])sig=([A-Za-z0-9%+/=]{16,})")
_SAS_FIELD = re.compile(r"(?:^|[?&;])(?:sv|se|st)=\d{4}-\d{2}-\d{2}")
# The scheme starts a word (no backtracking into it): `postgresql://user:secret@host`.
_URL_CREDENTIALS = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:([^/\s@]{3,})@")

_SECRET_NAMES = re.compile(
    r"(pass(word|wd|phrase)?|pwd|secret|token|api_?key|access_?key|account_?key|client_?secret|auth|credentials?|sas|sas_?token"
    r"|conn(ection)?_?str(ing)?|private_?key|signing_?key|key)$",
    re.I,
)
_PASSWORD_NAMES = re.compile(r"(^|_)(pass(word|wd|phrase)?|pwd)$", re.I)
_HARMLESS = re.compile(
    r"^(\s*|your[_\- ].*|changeme|change_me|todo|none|null|placeholder|secret|password|token|redacted|dummy|example)$",
    re.I,
)
# Values that are names, not secrets: `customer_token_id`, `transactionIdentifier`, `sort-key-column`.
_WORDS = re.compile(r"^(?:[a-z]+[0-9]*(?:[_\-. ][a-z]+[0-9]*)+|[a-z]+(?:[A-Z][a-z]+)+|[A-Z]+(?:_[A-Z]+)+)$")
_FILE_NAME = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")


def entropy(text: str) -> float:
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def classify_secret(value: str, bound_to: str | None) -> str | None:
    """The kind of credential `value` is, or None. `bound_to` is the name or keyword it is given to."""
    kind = _by_value(value)
    if kind is not None:
        return kind
    if bound_to is None or _HARMLESS.match(value) or _PLACEHOLDER.match(value.strip()):
        return None
    name = bound_to.lower().replace("-", "_")
    if (
        _PASSWORD_NAMES.search(name)
        and len(value) >= 6
        and not any(c.isspace() for c in value)
        and not _WORDS.match(value)
    ):
        return "password"
    if _SECRET_NAMES.search(name) and _looks_random(value):
        return "secret"
    return None


def _by_value(value: str) -> str | None:
    lower = value.lower()
    if "defaultendpointsprotocol=" in lower and _CONNECTION_STRING.search(value) and _secret_part(_ACCOUNT_KEY, value):
        return "Azure storage connection string"
    for kind, pattern, needles in _PATTERNS:
        text = lower if pattern.flags & re.I else value
        if not any(needle in text for needle in needles):
            continue
        for match in pattern.finditer(value):
            if kind not in _NEEDS_DIGIT or any(c.isdigit() for c in match.group()):
                return kind
    if "sig=" in value and _SAS_SIGNATURE.search(value) and _SAS_FIELD.search(value):
        return "SAS token"
    if ("password=" in lower or "pwd=" in lower or "sharedaccesskey=" in lower) and _secret_part(
        _KEY_VALUE_SECRET, value
    ):
        return "connection string with a secret"
    if "://" in value and "@" in value and _secret_part(_URL_CREDENTIALS, value):
        return "password in a URL"
    return None


def find_in_text(text: str) -> list[tuple[int, str, str]]:
    """Credentials written in free text (a comment, a markdown cell): (offset, kind, the secret itself).

    Only what the value alone gives away is found (no name to go by): keys and tokens with a
    recognisable shape, and the secret part of connection strings, SAS tokens and URLs.
    """
    found: list[tuple[int, str, str]] = []
    lower = text.lower()
    for kind, pattern, needles in _PATTERNS:
        if (
            not any(needle in (lower if pattern.flags & re.I else text) for needle in needles)
            or kind == "basic authentication header"
        ):
            continue
        for match in pattern.finditer(text):
            if kind not in _NEEDS_DIGIT or any(c.isdigit() for c in match.group()):
                found.append((match.start(), kind, match.group()))
    groups = (
        ("accountkey=", _ACCOUNT_KEY, "Azure storage account key"),
        ("sig=", _SAS_SIGNATURE_VALUE, "SAS token"),
        ("=", _KEY_VALUE_SECRET, "connection string with a secret"),
        ("://", _URL_CREDENTIALS, "password in a URL"),
    )
    for needle, pattern, kind in groups:
        if needle not in lower:
            continue
        for match in pattern.finditer(text):
            part = match.group(1).rstrip(").,'\"")
            if _PLACEHOLDER.match(part) or _HARMLESS.match(part) or part.startswith(("{", "$", "%", "<")):
                continue
            if _WORDS.match(part) or (
                part.isidentifier() and "_" in part
            ):  # `password=db_password`: a name, not a value
                continue
            found.append((match.start(1), kind, part))
    return sorted(found)


def _secret_part(pattern: re.Pattern, value: str) -> bool:
    """Does `pattern` find a secret (group 1) that is not a placeholder like `{password}`?"""
    for match in pattern.finditer(value):
        part = match.group(1)
        if not _PLACEHOLDER.match(part) and not _HARMLESS.match(part) and not part.startswith(("{", "$", "%", "<")):
            return True
    return False


def _looks_random(value: str) -> bool:
    """A token, key or generated password rather than a word, a name, a path or a URL."""
    if not 16 <= len(value) <= 4096 or any(c.isspace() for c in value) or "://" in value:
        return False
    if _WORDS.match(value) or _FILE_NAME.search(value) or value.startswith(("./", "../", "~/")):
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))
    return classes >= 2 and entropy(value) >= 3.5


def mask(value: str) -> str:
    return f"{len(value)} characters, starting {value[:4]!r}" if len(value) > 12 else f"{len(value)} characters"
