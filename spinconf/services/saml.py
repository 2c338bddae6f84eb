"""gate's ``saml`` section per release, from Halyard's ``metadataLocal`` and ``serviceAddress`` too.

Halyard's SamlConfig (spinnaker/halyard, halyard-deploy/src/main/java/com/netflix/spinnaker/
halyard/deploy/spinnaker/v1/profile/SamlConfig.java) wrote ``saml.metadataUrl`` from the local
metadata file (staged beside the service, ``file:`` prefixed) and split ``serviceAddress`` into
``redirectProtocol``, ``redirectHostname`` (with the port) and ``redirectBasePath``. gate up to 1.34
reads those (gate-saml/.../SAMLSecurityConfigProperties.java, release-1.34.x). From 1.35 gate uses
Spring Security SAML2 (gate-saml/.../SecuritySamlProperties.java, release-1.35.x): it still reads
``saml.metadataUrl`` but builds the assertion consumer URL from its own base URL
(``{baseUrl}/saml/{registrationId}``), so the redirect comes from the forwarded headers.

Fargate has no volume for the metadata file: it is baked into gate's image under
:data:`IMAGE_DIR` (the build context's ``files/``, as ``services.<svc>.files`` are).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from spinconf.model.base import dump
from spinconf.releases import Release, gate_spring_saml2

if TYPE_CHECKING:
    from spinconf.model.hal.security import Saml

IMAGE_DIR = "/opt/spinnaker/saml/"
_REDIRECT = ("redirectProtocol", "redirectHostname", "redirectBasePath")


def metadata_file(saml: Saml | None) -> str | None:
    """The project file ``metadataLocal`` names, when gate reads it (no explicit metadataUrl)."""
    if saml is None or saml.metadataUrl not in (None, ""):
        return None
    local = saml.metadataLocal
    return local if isinstance(local, str) and local != "" else None


def image_path(source: str) -> str:
    return IMAGE_DIR + PurePosixPath(source).name


def baked_files(saml: Saml | None) -> list[tuple[str, str]]:
    """(project file, in-image path) of what gate's image must carry for SAML."""
    source = metadata_file(saml)
    return [(source, image_path(source))] if source is not None else []


def service_address(saml: Saml) -> dict[str, str]:
    """Halyard's split of ``serviceAddress`` (java.net.URL: protocol, host[:port], path)."""
    address = saml.serviceAddress
    if not isinstance(address, str) or address == "":
        return {}
    url = urlsplit(address)
    out = {"redirectProtocol": url.scheme, "redirectHostname": url.netloc.rpartition("@")[2]}
    if url.path:
        out["redirectBasePath"] = url.path
    return out


def effective(saml: Saml) -> dict[str, Any]:
    """metadataUrl and the redirect keys as gate would get them (for checks: what is set at all)."""
    doc = {k: v for k, v in dump(saml).items() if k in ("metadataUrl", *_REDIRECT)}
    if "metadataUrl" not in doc and saml.metadataLocal not in (None, ""):
        doc["metadataUrl"] = saml.metadataLocal
    for key, value in service_address(saml).items():
        doc.setdefault(key, value)
    return doc


def gate_saml(saml: Saml, release: Release) -> dict[str, Any]:
    doc = dump(saml)
    local = doc.pop("metadataLocal", None)
    doc.pop("serviceAddress", None)  # gate has no such property: Halyard split it
    if doc.get("metadataUrl") in (None, "") and local not in (None, ""):
        source = metadata_file(saml)
        # a {secret: ...} here is a kork encryptedFile: reference, resolved to a path at start
        doc["metadataUrl"] = "file:" + image_path(source) if source is not None else local
    if not gate_spring_saml2(release):
        for key, value in service_address(saml).items():
            doc.setdefault(key, value)
    return doc
