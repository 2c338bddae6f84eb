"""``deck``: what goes into deck's settings.js beyond the model (spinconf's own section)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from spinconf.model.base import SpinModel


class Deck(SpinModel):
    settings: dict[str, Any] | None = Field(
        default=None, description="free-form keys deep-merged into window.spinnakerSettings"
    )
    settingsLocalFile: str | None = Field(
        default=None, description="a JavaScript file, relative to the project, shipped as settings-local.js"
    )
