"""Running survey-core itself (Node.js) on generated cases, for the differential tests."""

import json
import math
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.surveys.expressions import UNDEFINED, JSDate

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("surveyjs_verdict.js")
NODE = shutil.which("node")
#: the moment both sides evaluate at: today() and age() must agree
NOW = datetime(2026, 6, 15, 10, 30, tzinfo=UTC)

needs_node = pytest.mark.skipif(
    NODE is None or not (ROOT / "node_modules" / "survey-core").is_dir(),
    reason="needs node and node_modules/survey-core (npm ci) to compare with SurveyJS itself",
)


def run_surveyjs(payload: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """survey-core's answers for `payload` (see surveyjs_verdict.js), in one Node.js run."""
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"now": int(NOW.timestamp() * 1000), **payload}), encoding="utf-8")
    environment = {**os.environ, "TZ": "Europe/Amsterdam"}
    result = subprocess.run(
        [NODE, str(SCRIPT), str(cases)], capture_output=True, text=True, check=True, env=environment, timeout=120
    )
    return json.loads(result.stdout)


def encode(value: Any) -> Any:
    """A Python value as surveyjs_verdict.js encodes survey-core's."""
    if value is UNDEFINED:
        return {"$undefined": True}
    if isinstance(value, JSDate):
        return {"$date": None if math.isnan(value.ms) else int(value.ms)}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$number": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    return value
