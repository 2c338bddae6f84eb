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


def kork_sql_named_pools(release: Release) -> bool:
    """Named kork-sql pools (``sql.connectionPools.<name>``) instead of the singular ``sql.connectionPool``.

    kork v3.7.0 (spinnaker/kork#233, 2019-02-14: "Support for named connection pools and
    dynamic routing") came after the 1.12 release branches; 1.13.0 is the first release
    whose services build on it.
    """
    return release.at_least("1.13.0")


# First release whose image can run each service on SQL (``services.<svc>.sql``); before it
# the image carries no SQL code and every ``sql.*`` key is ignored. From each service's
# release branches:
# - orca 1.10.0: orca-web.gradle compiles orca-sql and orca-sql-mysql from release-1.10.x.
# - echo 1.13.0: echo-scheduler imports kork-sql's DefaultSqlConfiguration (quartz on SQL,
#   spinnaker/echo e82f316b, "feat(triggers): Replacing dependence on scheduled-actions with
#   quartz") from release-1.13.x.
# - clouddriver 1.14.0: clouddriver-sql and cats-sql joined the open-source build
#   (settings.gradle, clouddriver-web.gradle) in spinnaker/clouddriver b17e53515
#   (2019-04-19, "feat(sql): preparing sql backend for upstream").
# - front50 1.15.0: front50-sql (spinnaker/front50 08e119e0, 2019-05-10) is in the image once
#   gradle.properties' includeProviders lists sql, from release-1.15.x.
SQL_SINCE: dict[str, str] = {"orca": "1.10.0", "echo": "1.13.0", "clouddriver": "1.14.0", "front50": "1.15.0"}


def sql_supported(svc: str, release: Release) -> bool:
    """Whether ``svc``'s image of ``release`` can use ``services.<svc>.sql``."""
    since = SQL_SINCE.get(svc)
    return since is None or release.at_least(since)


# --- Known releases -----------------------------------------------------------------
# Every release with a changelog on spinnaker.io (spinnaker/spinnaker.io,
# content/en/changelogs/<version>-changelog.md), as the last patch of each line.
# 1.2.0 was never published (the 1.2 line starts at 1.2.1).
_LAST_PATCH: dict[tuple[int, int], int] = {
    (1, 0): 1, (1, 1): 2, (1, 2): 2, (1, 3): 1, (1, 4): 2, (1, 5): 4, (1, 6): 2, (1, 7): 8,
    (1, 8): 7, (1, 9): 5, (1, 10): 14, (1, 11): 13, (1, 12): 14, (1, 13): 12, (1, 14): 15,
    (1, 15): 7, (1, 16): 7, (1, 17): 10, (1, 18): 12, (1, 19): 14, (1, 20): 8, (1, 21): 5,
    (1, 22): 6, (1, 23): 7, (1, 24): 6, (1, 25): 8, (1, 26): 7, (1, 27): 6, (1, 28): 10,
    (1, 29): 7, (1, 30): 6, (1, 31): 3, (1, 32): 4, (1, 33): 3, (1, 34): 6, (1, 35): 5,
    (1, 36): 3, (1, 37): 11, (1, 38): 0,
    (2025, 0): 8, (2025, 1): 6, (2025, 2): 4, (2025, 3): 3, (2025, 4): 4,
    (2026, 0): 4, (2026, 1): 2, (2026, 2): 3,
}  # fmt: skip
KNOWN_RELEASES: tuple[Version, ...] = tuple(
    Version(major, minor, patch)
    for (major, minor), last in _LAST_PATCH.items()
    for patch in range(last + 1)
    if (major, minor, patch) != (1, 2, 0)
)
_KNOWN = frozenset(KNOWN_RELEASES)


def is_known_release(text: str) -> bool:
    """Whether ``text`` names a published Spinnaker release (``1.30.1``, ``2025.2.0``)."""
    version = Version.parse(text)
    return version is not None and version in _KNOWN


def releases_near(text: str, n: int = 3) -> list[str]:
    """Known releases close to ``text``: the same line first, then its neighbours (for error messages)."""
    version = Version.parse(text)
    if version is None:
        return [str(v) for v in KNOWN_RELEASES[-n:]]
    same_line = [v for v in KNOWN_RELEASES if (v.major, v.minor) == (version.major, version.minor)]
    if same_line:
        return [str(v) for v in same_line[-n:]]
    below = [v for v in KNOWN_RELEASES if v < version][-1:]
    above = [v for v in KNOWN_RELEASES if v > version][:1]
    return [str(v) for v in below + above] or [str(KNOWN_RELEASES[-1])]


# --- Upstream images ----------------------------------------------------------------
# Where each release's service images live and how they are tagged (README "Upstream images").
# - us-docker.pkg.dev/spinnaker-community/docker (Google Artifact Registry): every release up
#   to 2026.0.x. Releases to 1.23.x were published to gcr.io/spinnaker-marketplace; in November
#   2020 "everything moved to spinnaker-community" (GoogleCloudPlatform/spinnaker-for-gcp #209),
#   and since March 2021 gcr.io/spinnaker-marketplace refuses pulls while the same 2020 images
#   pull from spinnaker-community (spinnaker/spinnaker #6360, #6364): the old registry is no
#   place to start FROM.
# - ghcr.io/spinnaker: "GHCR is now the default location for all images" (spinnaker.io
#   changelog 2026.1.0; 2026.0.0 was the last release consuming Google Artifact Registry).
# - Tags: `spinnaker-<release>` from 1.21.0; before that only per-service versions
#   (`clouddriver:6.4.3-20191210131345`), which spinconf does not track: those releases need
#   services.<svc>.image. From 2025.0.0 (the monorepo) every service carries the release version:
#   spinnaker/spinnaker .github/actions/publish-docker/action.yml tags `<registry>/<svc>:<version>`
#   (the slim image where a service has one, also tagged `<version>-slim`; `<version>-ubuntu` beside).
# - Architectures: Dockerfiles were adapted to build arm64 in 1.29.0 (spinnaker.io changelog
#   1.29.0, clouddriver 34170691); earlier images are amd64 only.
COMMUNITY_GAR = "us-docker.pkg.dev/spinnaker-community/docker"
GHCR = "ghcr.io/spinnaker"
_GHCR_FROM = Version(2026, 1, 0)
RELEASE_TAGS_FROM = Version(1, 21, 0)
_RELEASE_VERSION_TAGS_FROM = Version(2025, 0, 0)
MULTI_ARCH_FROM = Version(1, 29, 0)
# First release whose BOM lists the service (services absent from a release are not rendered on ECS).
SERVICE_SINCE: dict[str, Version] = {"kayenta": Version(1, 7, 0), "keel": Version(1, 19, 0)}


def upstream_registry(version: Version) -> str:
    return GHCR if version >= _GHCR_FROM else COMMUNITY_GAR


def release_tag(version: Version) -> str | None:
    """The tag every service image of ``version`` carries, or None when images are tagged per service."""
    if version >= _RELEASE_VERSION_TAGS_FROM:
        return str(version)
    return f"spinnaker-{version}" if version >= RELEASE_TAGS_FROM else None


def has_arm64_images(version: Version) -> bool:
    return version >= MULTI_ARCH_FROM


def service_exists(svc: str, version: Version) -> bool:
    since = SERVICE_SINCE.get(svc)
    return since is None or version >= since


# --- Shapes of gate, orca and the Spring Boot base ----------------------------------


def gate_oauth2_spring_security(release: Release) -> bool:
    """Gate reads OAuth2 from Spring Security 5's ``spring.security.oauth2.client.registration/provider``.

    spinnaker/spinnaker#7052 (release-2025.2.x, changelog 2025.2.0 "Spring Security 5 Oauth2
    Migration") replaced ``@EnableOAuth2Sso`` and its ``security.oauth2.client.*`` keys; gate
    now switches OAuth2 on when a ``...registration.<id>.client-id`` exists
    (gate/gate-oauth2/src/main/java/com/netflix/spinnaker/gate/security/oauth2/OAuthConfigEnabled.java).
    """
    return release.at_least("2025.2.0")


def gate_spring_saml2(release: Release) -> bool:
    """gate's SAML is Spring Security SAML2 (gate-saml/.../SecuritySamlProperties.java from
    spinnaker/gate release-1.35.x; release-1.34.x has SAMLSecurityConfigProperties): the redirect
    keys are gone, the assertion consumer URL is built from gate's base URL."""
    return release.at_least("1.35.0")


def spring_boot_forward_headers_strategy(release: Release) -> bool:
    """``server.forward-headers-strategy`` (Spring Boot 2.2) instead of ``server.use-forward-headers``.

    kork moved to Spring Boot 2.2.4 in January 2020 ("chore(dependencies): Spring Boot 2.2.4
    upgrade", spinnaker/kork#591); 1.19.0 is the first release built on it.
    """
    return release.at_least("1.19.0")


def orca_sql_queue(release: Release) -> bool:
    """Orca's keiko queue and pending-execution service can live in SQL.

    orca-queue-sql's SqlOrcaQueueConfiguration (``keiko.queue.sql.enabled``, spinnaker/orca#3134)
    and SqlPendingExecutionConfiguration (``queue.pending-execution-service.sql.enabled``,
    spinnaker/orca#3035) first ship on orca's release-1.17.x branch.
    """
    return release.at_least("1.17.0")


def orca_redis_optional(release: Release) -> bool:
    """Orca starts without any redis connection once ``redis.enabled: false`` exists.

    orca-redis's RedisConfiguration became ``@ConditionalOnProperty(value = "redis.enabled",
    matchIfMissing = true)`` in March 2020 (spinnaker/orca#3541), first on release-1.20.x.
    """
    return release.at_least("1.20.0")
