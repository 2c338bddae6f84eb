"""tools/halyard_model.py lists Halyard's fields as Jackson writes them: collection types, getter annotations."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.halparity.halyard_model import halyard_fields
from tests.helpers import REPO

MODEL = "halyard-config/src/main/java/com/netflix/spinnaker/halyard/config/model/v1"


def _extract(tmp_path: Path, sources: dict[str, str]) -> dict[str, str]:
    for name, text in sources.items():
        path = tmp_path / MODEL / "node" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    out = subprocess.run(
        [sys.executable, str(REPO / "tools/halyard_model.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.rsplit(": ", 1) for line in out.splitlines())


NODE = """
    public abstract class Node {
      @JsonIgnore
      public abstract String getNodeName();
    }
"""
METHOD = """
    public abstract class Method extends Node {
      private boolean enabled;

      @JsonIgnore
      public abstract String getKind();
    }
"""
CONFIG = """
    @Data
    public class DeploymentConfiguration extends Node {
      private SortedSet<String> sorted = new TreeSet<>();
      private TreeSet<Item> items = new TreeSet<>();
      private ArrayList<String> plain;
      private LinkedHashMap<String, Item> byName;
      private Saml saml = new Saml();
      private Mapped mapped = new Mapped();
      private String nodeName = "x";

      public boolean isEnabled() {
        return saml.isEnabled();
      }

      @JsonIgnore
      public String getSummary() {
        return "";
      }

      public static String getStaticThing() {
        return "";
      }

      @Override
      public String getNodeName() {
        return nodeName;
      }
    }
"""
ITEM = """
    @Data
    public class Item {
      String id;
    }
"""
SAML = """
    @Data
    public class Saml extends Method {
      private final String kind = "saml";
      private String issuerId;
    }
"""
MAPPED = """
    @Data
    public class Mapped {
      List<String> oAuthScopes;
      String secretThing;

      @JsonProperty("oAuthScopes")
      public List<String> getOAuthScopes() {
        return oAuthScopes;
      }

      @JsonIgnore
      public String getSecretThing() {
        return secretThing;
      }
    }
"""


def test_collection_types_are_lists_and_maps(tmp_path: Path) -> None:
    fields = _extract(
        tmp_path,
        {"Node.java": NODE, "Method.java": METHOD, "DeploymentConfiguration.java": CONFIG, "Item.java": ITEM,
         "Saml.java": SAML, "Mapped.java": MAPPED},
    )  # fmt: skip
    assert fields["sorted"] == "list"  # SortedSet<String>
    assert fields["plain"] == "list"  # ArrayList<String>
    assert fields["items.*.id"] == "scalar"  # TreeSet<Item>: each item's fields
    assert fields["byName.*.id"] == "scalar"  # LinkedHashMap<String, Item>


def test_getter_annotations_are_seen(tmp_path: Path) -> None:
    fields = _extract(
        tmp_path,
        {"Node.java": NODE, "Method.java": METHOD, "DeploymentConfiguration.java": CONFIG, "Item.java": ITEM,
         "Saml.java": SAML, "Mapped.java": MAPPED},
    )  # fmt: skip
    assert fields["enabled"] == "scalar"  # a getter with no field: Jackson writes it
    assert "summary" not in fields and "staticThing" not in fields and "nodeName" not in fields
    assert fields["saml.issuerId"] == "scalar" and fields["saml.enabled"] == "scalar"
    assert "saml.kind" not in fields  # @JsonIgnore on the abstract getter it overrides (Jackson merges them)
    assert fields["mapped.oAuthScopes"] == "list"
    assert "mapped.secretThing" not in fields  # @JsonIgnore on the getter hides the field


def test_the_listed_model_has_the_fixes() -> None:
    fields = dict(halyard_fields())
    for svc in ("aws", "google"):  # SortedSet<SupportedTypes> in AwsCanaryAccount, GoogleCanaryAccount
        assert fields[f"canary.serviceIntegrations.{svc}.accounts.*.supportedTypes"] == "list"
    assert fields["metricStores.enabled"] == "scalar"  # MetricStores.isEnabled(), written by Halyard
    assert "security.authn.saml.method" not in fields  # AuthnMethod's @JsonIgnore getMethod()
