"""The trained parts of the comment judge and their file (`models/comments/judge_head.npz`).

- stage A, `constructive`: logistic regression on the MiniLM embedding of the comment and its length,
  fitted on the Constructive Comments Corpus (C3). Its logit is one input of stage B.
- stage B, two logistic regressions on the C3 logit and the interpretable features of
  `models.comments.features`: `with_post` (fitted on the team's in-domain comments and the real blog
  comments, each with its post) and `no_post` (fitted on C3 and the same comments without their post;
  its grounding and copy inputs are always 0).

Inference needs numpy only; fitting uses torch (L-BFGS, float64), deterministic on the CPU.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.comments.features import FEATURES

HEAD_FILE = Path(__file__).resolve().parent / "judge_head.npz"
LENGTH_RULE = 46  # the C3 baseline: a comment of at least 46 words is constructive


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def c3_inputs(embeddings: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Stage A inputs: the embedding and three views of the length."""
    words = np.asarray(words, dtype=np.float64).reshape(-1, 1)
    length = np.hstack([np.log1p(words), np.minimum(words, 150.0) / 150.0, (words >= LENGTH_RULE) * 1.0])
    return np.hstack([np.asarray(embeddings, dtype=np.float64), length])


@dataclass
class Logistic:
    """Standardised logistic regression."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(self.logit(x))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per feature, its share of the logit relative to the training mean (same shape as x)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        return (x - self.mean) / self.scale * self.coef

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: np.ndarray,
        weight: np.ndarray | None = None,
        l2: float | np.ndarray = 1.0,
        max_iter: int = 500,
    ) -> Logistic:
        """Minimise the weighted mean log-loss + sum(l2/2 * coef^2) (intercept not penalised; `l2` may
        be one strength per input)."""
        import torch

        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-9] = 1.0
        penalty = torch.from_numpy(np.broadcast_to(np.asarray(l2, dtype=np.float64), (x.shape[1],)).copy())
        xt = torch.from_numpy((x - mean) / scale)
        yt = torch.from_numpy(y)
        wt = torch.from_numpy(w / w.sum())
        coef = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
        prior = float(np.clip((w * y).sum() / w.sum(), 1e-6, 1 - 1e-6))
        bias = torch.tensor([np.log(prior / (1 - prior))], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS(
            [coef, bias], lr=1.0, max_iter=max_iter, tolerance_grad=1e-9, line_search_fn="strong_wolfe"
        )

        def closure() -> torch.Tensor:
            opt.zero_grad()
            z = xt @ coef + bias
            loss = (wt * torch.nn.functional.binary_cross_entropy_with_logits(z, yt, reduction="none")).sum()
            loss = loss + 0.5 * (penalty * coef * coef).sum()
            loss.backward()
            return loss

        opt.step(closure)
        return cls(mean, scale, coef.detach().numpy().copy(), float(bias.detach().numpy()[0]))


@dataclass
class Bundle:
    """Both stages, the vocabulary of common words, the threshold and the training metadata."""

    constructive: Logistic
    with_post: Logistic
    no_post: Logistic
    common_words: list[str]
    features: list[str]
    threshold: float = 0.5
    meta: dict[str, object] = field(default_factory=dict)

    def head(self, has_post: bool) -> Logistic:
        return self.with_post if has_post else self.no_post

    def save(self, path: Path = HEAD_FILE) -> None:
        arrays: dict[str, np.ndarray] = {}
        for name, model in (("a", self.constructive), ("post", self.with_post), ("bare", self.no_post)):
            arrays[f"{name}_mean"] = model.mean.astype(np.float64)
            arrays[f"{name}_scale"] = model.scale.astype(np.float64)
            arrays[f"{name}_coef"] = model.coef.astype(np.float64)
            arrays[f"{name}_intercept"] = np.array([model.intercept], dtype=np.float64)
        arrays["common_words"] = np.array(sorted(self.common_words))
        arrays["features"] = np.array(self.features)
        arrays["threshold"] = np.array([self.threshold])
        arrays["meta"] = np.array(json.dumps(self.meta, sort_keys=True))
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez_compressed(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path = HEAD_FILE) -> Bundle:
        with np.load(path, allow_pickle=False) as data:

            def model(name: str) -> Logistic:
                return Logistic(
                    data[f"{name}_mean"].astype(np.float64),
                    data[f"{name}_scale"].astype(np.float64),
                    data[f"{name}_coef"].astype(np.float64),
                    float(data[f"{name}_intercept"][0]),
                )

            return cls(
                constructive=model("a"),
                with_post=model("post"),
                no_post=model("bare"),
                common_words=[str(w) for w in data["common_words"]],
                features=[str(f) for f in data["features"]],
                threshold=float(data["threshold"][0]),
                meta=json.loads(str(data["meta"])),
            )


def file_digest(path: Path = HEAD_FILE) -> str:
    """sha256 of the head file: ties metrics and MODEL_VERSION to the exact weights."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


EMBEDDING_FEATURES = tuple(f"minilm_{i}" for i in range(384))
SUBSTANCE_FEATURES = ("c3_logit", *FEATURES, *EMBEDDING_FEATURES)


def substance_inputs(constructive: Logistic, embeddings: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Stage B inputs: the stage A logit (on the comment's own, non-copied length), the raw features
    and the embedding itself (more strongly regularised: see `penalties`)."""
    raw = np.atleast_2d(raw)
    embeddings = np.atleast_2d(np.asarray(embeddings, dtype=np.float64))
    own_words = np.expm1(raw[:, FEATURES.index("own_words_log")])
    logit = constructive.logit(c3_inputs(embeddings, own_words))
    return stage_b_inputs(logit, raw, embeddings)


def stage_b_inputs(c3_logits: np.ndarray, raw: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
    """Stage B inputs from given stage A logits (clipped), raw features and embeddings."""
    return np.hstack([np.clip(c3_logits, -8.0, 8.0).reshape(-1, 1), raw, embeddings])


def penalties(l2: float, l2_embedding: float) -> np.ndarray:
    """Per-input L2 strengths of stage B: one for the interpretable features, one for the embedding."""
    return np.r_[np.full(1 + len(FEATURES), l2), np.full(len(EMBEDDING_FEATURES), l2_embedding)]
