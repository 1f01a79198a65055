"""Tool names: fold the spellings students use so that one tool is one key; earlier-term tools."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

_VENDORS = ("apache", "amazon", "aws", "google", "gcp", "microsoft", "azure", "the")
_SUFFIXES = ("ai", "io", "ml", "dev", "cloud", "app", "py")
_ALIASES = {
    "emr": "elasticmapreduce",
    "elasticmapreduceemr": "elasticmapreduce",
    "k8s": "kubernetes",
    "gcs": "cloudstorage",
    "sagemakerstudio": "sagemaker",
    "wandb": "weightsbiases",
    "weightsandbiases": "weightsbiases",
    "tfx": "tensorflowextended",
    "tfserving": "tensorflowserving",
    "pyspark": "spark",
    "greatexpectation": "greatexpectations",
}


def tool_key(name: str) -> str:
    """A folded form of a tool name: 'Apache Airflow', 'airflow ' and 'AirFlow' share one key."""
    words = re.findall(r"[a-z0-9]+", (name or "").casefold().replace("&", " and "))
    while len(words) > 1 and words[0] in _VENDORS:
        words = words[1:]
    if len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    key = "".join(words)
    return _ALIASES.get(key, key)


def load_earlier_tools(path: Path | None = None) -> dict[str, str]:
    """Earlier-term tools as {key: name}: the bundled list, or a course's own file."""
    if path is None:
        text = resources.files("bot").joinpath("data", "earlier_tools.txt").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    tools: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            tools.setdefault(tool_key(line), line)
    return tools
