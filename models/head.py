"""The trained parts, in plain numpy: paragraph head, post-level calibrators, and their file.

- `Head`: standardisation + multinomial logistic regression over the paragraph features
  (4 labels: problem, movie_example, strengths_limitations, other).
- `Calibrator`: per section, a Platt-style logistic regression over post-level aggregates of the
  paragraph probabilities (`models.aggregate`), fitted on cross-validated scores: its output is
  the calibrated confidence that the section is present.

Everything lives in one small .npz (`models/rubric_head.npz`); inference needs numpy only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HEAD_FILE = Path(__file__).resolve().parent / "rubric_head.npz"


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass
class Head:
    """Paragraph features -> probabilities of the 4 labels."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros((0, self.weights.shape[1]), dtype=np.float64)
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return softmax(z.astype(np.float64))


@dataclass
class Calibrator:
    """Post-level aggregates -> P(section present)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return sigmoid(np.asarray(z, dtype=np.float64))


@dataclass
class Bundle:
    """What `models.train` writes and `models.rubric` loads."""

    head: Head
    calibrators: dict[str, Calibrator]
    meta: dict[str, object] = field(default_factory=dict)

    def save(self, path: Path = HEAD_FILE) -> None:
        arrays: dict[str, np.ndarray] = {
            "head_mean": self.head.mean.astype(np.float32),
            "head_scale": self.head.scale.astype(np.float32),
            "head_weights": self.head.weights.astype(np.float32),
            "head_bias": self.head.bias.astype(np.float32),
            "meta": np.array(json.dumps(self.meta, sort_keys=True)),
        }
        for name, cal in self.calibrators.items():
            arrays[f"cal_{name}_mean"] = cal.mean.astype(np.float64)
            arrays[f"cal_{name}_scale"] = cal.scale.astype(np.float64)
            arrays[f"cal_{name}_coef"] = cal.coef.astype(np.float64)
            arrays[f"cal_{name}_intercept"] = np.array(cal.intercept, dtype=np.float64)
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path = HEAD_FILE) -> Bundle:
        with np.load(path, allow_pickle=False) as data:
            head = Head(
                data["head_mean"].astype(np.float32),
                data["head_scale"].astype(np.float32),
                data["head_weights"].astype(np.float32),
                data["head_bias"].astype(np.float32),
            )
            names = sorted({k[4:-5] for k in data.files if k.startswith("cal_") and k.endswith("_mean")})
            calibrators = {
                n: Calibrator(
                    data[f"cal_{n}_mean"],
                    data[f"cal_{n}_scale"],
                    data[f"cal_{n}_coef"],
                    float(data[f"cal_{n}_intercept"]),
                )
                for n in names
            }
            meta = json.loads(str(data["meta"]))
        return cls(head, calibrators, meta)


def file_digest(path: Path = HEAD_FILE) -> str:
    """sha256 of the weights file (the metrics file and MODEL_VERSION refer to it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
