# Reviewbot: the Discord bot with its nightly audit. CPU-only torch keeps the image small.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

WORKDIR /app

# CPU build of torch first, from PyTorch's CPU index: a plain `torch` would pull CUDA.
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scrapers ./scrapers
COPY models ./models
COPY migrations ./migrations
RUN pip install .

# The course configuration; mount your own over it. The database and snapshots live in /app/var.
COPY bot.toml ./bot.toml
RUN useradd --create-home --uid 10001 reviewbot && mkdir -p /app/var && chown reviewbot /app/var
USER reviewbot
VOLUME ["/app/var"]

# Tokens come from the environment: DISCORD_TOKEN, CANVAS_TOKEN (names set in bot.toml).
ENTRYPOINT ["reviewbot", "--config", "/app/bot.toml"]
CMD ["run"]
