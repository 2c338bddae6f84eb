"""What spinconf knows about Spinnaker releases: which exist, their services and ports.

Facts that change between releases live here (and in ``spinconf/data/``), each with
its source, so that the service modules ask a question ("does this release read
gate's OAuth2 under spring.security?") instead of comparing version strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

# Default ports: each service's server.port in its own <svc>.yml of the release
# (e.g. clouddriver/clouddriver-web/config/clouddriver.yml: server.port 7002),
# and deck's docker/run-apache2.sh (DECK_PORT=9000).
PORTS: dict[str, int] = {
    "clouddriver": 7002,
    "deck": 9000,
    "echo": 8089,
    "fiat": 7003,
    "front50": 8080,
    "gate": 8084,
    "igor": 8088,
    "kayenta": 8090,
    "keel": 7010,
    "orca": 8083,
    "rosco": 8087,
}

_RELEASE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@total_ordering
@dataclass(frozen=True)
class Version:
    """A Spinnaker release number (1.x.y or the calendar scheme 2025.x.y)."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version | None:
        m = _RELEASE.match(text.strip())
        if not m:
            return None
        return cls(int(m.group(1)), int(m.group(2)), int(m.group(3)))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


# The last 1.x release: the property shapes used for versions that are not releases
# (SPEC section 1: master-latest-unvalidated, branch builds).
LAST_1X = Version(1, 38, 0)
# What a project without any version renders for.
DEFAULT_RELEASE = Version(2025, 2, 0)


@dataclass(frozen=True)
class Release:
    """The release a project targets: its text as written and the shapes it implies."""

    text: str
    version: Version  # for non-releases: LAST_1X
    is_release: bool

    @classmethod
    def of(cls, text: str | None) -> Release:
        if text is None:
            return cls(str(DEFAULT_RELEASE), DEFAULT_RELEASE, True)
        parsed = Version.parse(text)
        if parsed is None:
            return cls(text, LAST_1X, False)
        return cls(text, parsed, True)

    def at_least(self, text: str) -> bool:
        other = Version.parse(text)
        assert other is not None, text
        return self.version >= other
