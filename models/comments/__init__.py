"""The comment substance judge: is a comment on a classmate's post substantive?

See `models.comments.judge` for the API and `models/comments/MODEL_CARD.md` for the model.
"""

from models.comments.judge import CommentJudge, CommentVerdict
from models.comments.post import PostEncoding, article_from_path

__all__ = ["CommentJudge", "CommentVerdict", "PostEncoding", "article_from_path"]
