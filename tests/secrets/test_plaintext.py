"""Secret-bearing fields hold a reference or a kork string; plain text is an error that never shows the value."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinconf.checks.secret_fields import SECRET_FIELD_TRIE
from spinconf.model.hal.fieldinfo import SECRET_FIELDS
from tests.helpers import make_project
from tests.secrets.util import found, messages, run

VALUE = "pl41n-t3xt-s3cr3t"


def overlay_setting(patterns: list[str], value: Any) -> dict[str, Any]:
    """A document that sets every pattern's field, with one list item per ``*``."""
    doc: dict[str, Any] = {}
    for pattern in patterns:
        node: Any = doc
        parts = pattern.split(".")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt = parts[i + 1] if not last else None
            if part == "*":
                if not node:
                    node.append({})
                node = node[0]
                continue
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if nxt == "*" else {})
    return doc


def expected_key(pattern: str) -> str:
    return pattern.replace("*", "0")


def test_every_secret_field_in_plain_text_is_one_error(tmp_path: Path) -> None:
    doc = overlay_setting(sorted(SECRET_FIELDS), VALUE)
    root = make_project(tmp_path, {"overlays/all.yml": yaml.safe_dump(doc)})
    proc = subprocess.run(
        [sys.executable, "-m", "spinconf.cli", "validate", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert VALUE not in proc.stdout and VALUE not in proc.stderr
    diags = [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"] == "plaintext-secret"]
    assert sorted(d["key"] for d in diags) == sorted(expected_key(p) for p in SECRET_FIELDS)
    assert {d["severity"] for d in diags} == {"error"}
    assert all(d["file"] == "overlays/all.yml" and d["line"] > 1 for d in diags)
    text = subprocess.run(
        [sys.executable, "-m", "spinconf.cli", "validate", str(root)], capture_output=True, text=True, check=False
    )
    assert text.returncode == 1 and VALUE not in text.stdout + text.stderr
    assert text.stderr.count("[plaintext-secret]") == len(SECRET_FIELDS)


def test_plaintext_secrets_warn_makes_them_warnings(tmp_path: Path) -> None:
    doc = overlay_setting(sorted(SECRET_FIELDS), VALUE)
    root = make_project(tmp_path, {"overlays/all.yml": yaml.safe_dump(doc)}, settings="plaintextSecrets: warn\n")
    p, _ = run(root)
    got = found(p, "plaintext-secret")
    assert len(got) == len(SECRET_FIELDS) and {sev for _, _, sev in got} == {"warning"}


OWN = """\
services:
  orca:
    sql:
      jdbcUrl: jdbc:mysql://db:3306/orca
      user: orca
      password: {value}
      migration:
        user: orca_migrate
        password: {value}
"""


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        (VALUE, 2),
        ("12345", 2),
        ("{secret: db}", 0),
        ("{env: DB_PASSWORD}", 0),
        ("{env: DB_PASSWORD, default: " + VALUE + "}", 2),
        ("'encrypted:secrets-manager!r:eu-west-1!s:db'", 0),
        ("'encryptedFile:s3!r:eu-west-1!b:bucket!f:pw'", 0),
        ("'${DB_PASSWORD}'", 0),
        ("''", 0),
    ],
)
def test_sql_passwords(tmp_path: Path, value: str, errors: int) -> None:
    files = {"overlays/orca.yml": OWN.format(value=value), "overlays/s.yml": "secrets:\n  db:\n    ssm: /db\n"}
    p, _ = run(make_project(tmp_path, files))
    want = [("overlays/orca.yml", 6, "error"), ("overlays/orca.yml", 9, "error")][:errors]
    assert found(p, "plaintext-secret") == want
    assert not any(VALUE in d.message for d in p.diagnostics.items)


@pytest.mark.parametrize(
    ("url", "plain"),
    [
        ("redis://:" + VALUE + "@redis:6379", True),
        ("rediss://default:" + VALUE + "@redis:6379", True),
        ("redis://redis.internal:6379", False),
        ("redis://user@redis:6379", False),
        ("redis://:${REDIS_PASSWORD}@redis:6379", False),
    ],
)
def test_redis_url_with_a_password(tmp_path: Path, url: str, plain: bool) -> None:
    p, _ = run(make_project(tmp_path, {"overlays/r.yml": f"services:\n  gate:\n    redis:\n      url: '{url}'\n"}))
    assert found(p, "plaintext-secret") == ([("overlays/r.yml", 4, "error")] if plain else [])
    assert not any(VALUE in m for m in messages(p, "plaintext-secret"))


def test_passwords_in_urls_anywhere(tmp_path: Path) -> None:
    overlay = (
        "profiles:\n  keel:\n    sql:\n      connectionPools:\n        default:\n"
        f"          jdbcUrl: 'jdbc:mysql://db:3306/keel?user=keel&password={VALUE}'\n"
        f"  echo:\n    webhook: 'https://bot:{VALUE}@hooks.example.com/x'\n"
        "    fine: 'https://hooks.example.com/x?user=me'\n"
    )
    p, _ = run(make_project(tmp_path, {"overlays/p.yml": overlay}))
    assert found(p, "plaintext-secret") == [("overlays/p.yml", 6, "error"), ("overlays/p.yml", 8, "error")]
    assert not any(VALUE in d.message for d in p.diagnostics.items)


def test_ten_thousand_accounts_walk_fast() -> None:
    accounts = [{"name": f"a{i}", "password": {"secret": "x"}, "address": "r.example.com"} for i in range(10_000)]
    data = {
        "providers": {"dockerRegistry": {"accounts": accounts}, "kubernetes": {"accounts": accounts}},
        "artifacts": {"github": {"accounts": accounts}},
    }
    start = time.perf_counter()
    hits = list(SECRET_FIELD_TRIE.matches(data))
    elapsed = time.perf_counter() - start
    # dockerRegistry password, github password (token: absent); kubernetes has no secret field
    assert len(hits) == 20_000
    assert elapsed < 1.0, elapsed


def test_field_patterns_match_literal_and_wildcard_branches() -> None:
    from spinconf.checks.secret_fields import FieldTrie

    trie = FieldTrie.of(["providers.*.primaryAccount", "providers.aws.accounts.*.name"])
    assert trie.covers(("providers", "aws", "primaryAccount"))  # `aws` is also a literal branch
    assert trie.covers(("providers", "aws", "accounts", 3, "name"))
    assert not trie.covers(("providers", "aws", "accounts", 3))
    assert not trie.covers(("providers", "google", "accounts", 0, "name"))
