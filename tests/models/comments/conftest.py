"""One CommentJudge per test session (the MiniLM encoder takes a few seconds to load)."""

from __future__ import annotations

import pytest

from models.comments import CommentJudge
from scrapers.article import Article, Block


@pytest.fixture(scope="session")
def judge() -> CommentJudge:
    return CommentJudge.load()


@pytest.fixture(scope="session")
def feast_post() -> Article:
    """A small synthetic post in the course's scenario."""
    return Article(
        source="synthetic://feast",
        title="Feast for movie features",
        blocks=[
            Block("heading", "The problem", 2),
            Block(
                "paragraph",
                "Our recommender needs the last 10 movies each user watched at request time. Recomputing "
                "them from the Kafka watch events on every request took 400 ms, far over our 100 ms budget.",
            ),
            Block("heading", "How Feast helps", 2),
            Block(
                "paragraph",
                "We define a feature view watch_history keyed by user_id with ttl=2 days, materialised every "
                "hour into Redis as the online store, so the recommendation service reads last_10_movie_ids "
                "in about 3 ms.",
            ),
            Block(
                "code",
                'watch_history = FeatureView(name="watch_history", entities=[user], ttl=timedelta(days=2))',
            ),
            Block("heading", "Strengths and limitations", 2),
            Block(
                "paragraph",
                "Feast keeps training and serving features consistent through point-in-time joins. However, "
                "Feast does not do transformations: we still run our own Kafka consumer to compute the list, "
                "and the registry file became a bottleneck when three of us applied changes at once.",
            ),
        ],
    )
