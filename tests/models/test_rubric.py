"""The rubric checker through its API: verdicts on synthetic posts, flags, JSON shape, determinism,
and the evaluation floor (committed metrics tied to the committed head, plus the demo course).

The encoder is loaded once for the module and every synthetic post is checked once (cached).
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from fakes.shared import shared_path

from models.corpus import DEMO_EXPECTED, LABEL_FILE, demo_posts, read_paragraph_labels
from models.evaluate import METRICS_FILE, SYSTEMS
from models.flags import PROMPT
from models.head import HEAD_FILE, file_digest
from models.rubric import MODEL_VERSION, SECTIONS, PostVerdict, RubricChecker
from models.segment import load_document, paragraphs
from scrapers.article import Article, Block


def H(text: str, level: int = 2) -> Block:
    return Block("heading", text, level)


def P(text: str) -> Block:
    return Block("paragraph", text)


def L(text: str) -> Block:
    return Block("list_item", text, 1)


def C(text: str) -> Block:
    return Block("code", text)


INTRO = P(
    "Our team runs a small movie streaming service with a recommendation model that is retrained every "
    "night. This post looks at DVC, a tool for versioning data and models next to the code."
)
PROBLEM = [
    H("The problem: nobody knows which data trained the model"),
    P(
        "Every night a job dumps the latest ratings from Kafka into ratings.csv and overwrites the file of "
        "the day before. When the model got worse last week, we could not tell which snapshot of the data "
        "it had been trained on, and there was no way to go back to the previous one."
    ),
    P(
        "Without versioned data, experiments cannot be reproduced, rollbacks are guesswork, and two "
        "teammates can train on different data without noticing. This is the challenge DVC addresses."
    ),
]
HOW = [
    H("How DVC helps"),
    P(
        "DVC keeps small pointer files in git and stores the large files in a remote cache. A commit then "
        "pins code, data and model together, and dvc checkout restores any earlier state."
    ),
]
EXAMPLE = [
    H("Example: versioning our movie ratings snapshots"),
    P(
        "I put the nightly ratings export of our movie recommender under DVC. The file has one row per "
        "rating with user_id, movie_id, rating and timestamp, about 2.1 million rows for a week of "
        "watch history."
    ),
    C(
        "dvc init\ndvc remote add -d team s3://movie-recs-dvc\ndvc add data/ratings.csv\n"
        'git add data/ratings.csv.dvc .gitignore\ngit commit -m "ratings snapshot 2026-11-20"\ndvc push'
    ),
    P(
        "The training pipeline is a dvc.yaml stage that depends on ratings.csv and produces model.pkl, so "
        "dvc repro retrains only when the ratings snapshot changed. Rolling back to last Tuesday's data "
        "took one git checkout and one dvc checkout, and the recommendations for user 4821 matched the "
        "ones served that day."
    ),
    C(
        "stages:\n  train:\n    cmd: python train.py data/ratings.csv\n"
        "    deps: [data/ratings.csv, train.py]\n    outs: [model.pkl]"
    ),
]
STRENGTHS_LIMITATIONS = [
    H("Strengths"),
    L("Data, code and model versions are tied to one git commit, so every experiment can be reproduced."),
    L("Works with any storage: S3, Google Drive, SSH or a local folder."),
    L("The pipeline only reruns stages whose inputs changed, which saves a lot of training time."),
    H("Limitations"),
    L("DVC does not diff the content of a CSV; two versions of ratings.csv are just two blobs."),
    L("Everyone must remember to run dvc push after git push, otherwise teammates get missing files."),
    L("The learning curve is real: the cache, remotes and pipelines take time to understand."),
]
CONCLUSION = [
    H("Conclusion"),
    P("DVC made our nightly retraining reproducible for the price of a few extra commands."),
]

FULL = Article(
    title="Versioning movie ratings with DVC",
    blocks=[INTRO, *PROBLEM, *HOW, *EXAMPLE, *STRENGTHS_LIMITATIONS, *CONCLUSION],
)
NO_LIMITATIONS = Article(
    title="Versioning movie ratings with DVC", blocks=[INTRO, *PROBLEM, *HOW, *EXAMPLE, *CONCLUSION]
)
PASSING_MENTION = Article(
    title="A first look at DVC",
    blocks=[
        P("DVC is a popular tool for data versioning. In this post I show how to use it on a small example."),
        *PROBLEM[:2],
        *HOW,
        H("Example"),
        P(
            "First install DVC with pip install dvc. Then I version the classic iris dataset and train a "
            "logistic regression on it, trying three values of the regularisation parameter."
        ),
        C(
            "from sklearn.datasets import load_iris\nimport pandas as pd\n"
            "X, y = load_iris(return_X_y=True, as_frame=True)\nX.to_csv('data/iris.csv')"
        ),
        C("dvc init\ndvc add data/iris.csv\ngit add data/iris.csv.dvc\ndvc push"),
        P("After dvc push the iris data is stored in the remote and can be restored with dvc pull."),
        P("This could also be used for something like a movie service, for example to version ratings."),
        *STRENGTHS_LIMITATIONS,
        *CONCLUSION,
    ],
)
FRENCH = Article(
    title="Versionner les données de films avec DVC",
    blocks=[
        H("Le problème"),
        P(
            "Chaque nuit, notre service de streaming de films écrase le fichier des notes de la veille. "
            "Quand le modèle de recommandation s'est dégradé, nous ne savions plus sur quelles données il "
            "avait été entraîné, et il était impossible de revenir à la version précédente des données."
        ),
        H("Exemple"),
        P(
            "J'ai mis l'export des notes des utilisateurs sous DVC : chaque version du fichier est liée à un "
            "commit git, et une seule commande suffit pour restaurer les données d'un jour donné."
        ),
        H("Forces et limites"),
        P(
            "DVC est simple à installer et fonctionne avec tous les stockages, mais il faut penser à pousser "
            "les données après chaque commit, sinon les coéquipiers obtiennent des fichiers manquants."
        ),
    ],
)
PLACEHOLDER = Article(
    title="Versioning movie ratings with DVC (draft)",
    blocks=[
        INTRO,
        *PROBLEM,
        H("Example"),
        P("TODO: add the example here"),
        H("Strengths and limitations"),
        P("TBD"),
    ],
)
COPIED_PROMPT = Article(
    title="My tool post",
    blocks=[H("Assignment"), *(P(part) for part in PROMPT.strip().split(". ") if part), *FULL.blocks],
)
MEMBER_ONLY = Article(
    title="Versioning movie ratings with DVC", blocks=FULL.blocks[:4], flags=["member_only_partial"]
)
VIDEO = Article(title="DVC in 5 minutes", blocks=[], flags=["video_post"])

POSTS: dict[str, tuple[Article, str]] = {
    "full": (FULL, "DVC"),
    "no_limitations": (NO_LIMITATIONS, "DVC"),
    "passing_mention": (PASSING_MENTION, "DVC"),
    "french": (FRENCH, "DVC"),
    "placeholder": (PLACEHOLDER, "DVC"),
    "copied_prompt": (COPIED_PROMPT, "DVC"),
    "wrong_tool": (FULL, "Kubeflow Pipelines"),
    "member_only": (MEMBER_ONLY, "DVC"),
    "video": (VIDEO, "DVC"),
}


@cache
def checker() -> RubricChecker:
    return RubricChecker.load()


@cache
def verdicts() -> dict[str, PostVerdict]:
    names = list(POSTS)
    results = checker().check_many([POSTS[n] for n in names])
    return dict(zip(names, results, strict=True))


def verdict(name: str) -> PostVerdict:
    return verdicts()[name]


# --- verdicts -------------------------------------------------------------------------------------


def test_a_post_with_all_three_sections_has_all_three() -> None:
    v = verdict("full")
    for name in SECTIONS:
        section = v.sections[name]
        assert section.present, (name, section)
        assert 0.5 <= section.confidence <= 1.0
        assert section.evidence and len(section.evidence) <= 402
    assert (
        "ratings" in v.sections["movie_example"].evidence or "movie" in v.sections["movie_example"].evidence
    )
    assert v.sections["strengths_limitations"].heading in ("Strengths", "Limitations")
    assert v.flags == []


def test_a_post_without_strengths_and_limitations_lacks_them() -> None:
    v = verdict("no_limitations")
    assert not v.sections["strengths_limitations"].present
    assert v.sections["strengths_limitations"].evidence == ""
    assert v.sections["problem"].present and v.sections["movie_example"].present


def test_a_passing_mention_of_movies_is_not_a_movie_example() -> None:
    v = verdict("passing_mention")
    movie = v.sections["movie_example"]
    assert not movie.present or movie.confidence < 0.5
    assert v.sections["strengths_limitations"].present


def test_confidences_are_probabilities_rounded() -> None:
    for v in verdicts().values():
        for section in v.sections.values():
            assert 0.0 <= section.confidence <= 1.0
            assert section.confidence == round(section.confidence, 3)


# --- flags ----------------------------------------------------------------------------------------


def test_placeholder_draft_is_flagged_and_its_placeholders_are_not_evidence() -> None:
    v = verdict("placeholder")
    assert "draft_placeholder" in v.flags
    assert "too_short" in v.flags
    assert not v.sections["strengths_limitations"].present
    assert not v.sections["movie_example"].present


def test_not_english_is_flagged() -> None:
    assert "not_english" in verdict("french").flags
    assert "not_english" not in verdict("full").flags


def test_copied_prompt_is_flagged() -> None:
    assert "copied_prompt" in verdict("copied_prompt").flags
    assert "copied_prompt" not in verdict("full").flags


def test_tool_not_mentioned_is_flagged_only_for_the_wrong_tool() -> None:
    assert "tool_not_mentioned" in verdict("wrong_tool").flags
    assert "tool_not_mentioned" not in verdict("full").flags


def test_member_only_preview_is_passed_through_and_not_judged() -> None:
    v = verdict("member_only")
    assert "member_only_partial" in v.flags and "not_judged" in v.flags
    for section in v.sections.values():
        assert (section.present, section.confidence, section.evidence) == (False, 0.0, "")


def test_video_post_is_passed_through() -> None:
    v = verdict("video")
    assert v.flags[:1] == ["video_post"]
    assert "not_judged" in v.flags and v.words == 0
    assert all(not s.present for s in v.sections.values())


# --- API shape and determinism --------------------------------------------------------------------


def test_json_has_exactly_the_design_shape() -> None:
    data = verdict("full").to_json("posts/dvc.md")
    assert list(data) == ["source", "title", "words", "sections", "flags"]
    assert data["source"] == "posts/dvc.md"
    assert data["title"] == FULL.title and data["words"] == FULL.words
    assert list(data["sections"]) == ["problem", "movie_example", "strengths_limitations"]
    for section in data["sections"].values():
        assert set(section) == {"present", "confidence", "evidence", "heading"}
        assert isinstance(section["present"], bool) and isinstance(section["confidence"], float)
        assert isinstance(section["evidence"], str) and isinstance(section["heading"], str)
    assert isinstance(data["flags"], list)
    json.dumps(data)  # serialisable as is


def test_check_is_deterministic_and_agrees_with_check_many() -> None:
    again = checker().check(*POSTS["full"])
    assert again.to_json("x") == verdict("full").to_json("x")
    assert again.model_version == MODEL_VERSION
    alone = checker().check(*POSTS["passing_mention"])
    assert alone.to_json("x") == verdict("passing_mention").to_json("x")


def test_model_version_names_the_features_and_the_head() -> None:
    assert MODEL_VERSION.startswith("rubric-f") and MODEL_VERSION.endswith(file_digest(HEAD_FILE)[:12])


# --- evaluation floor -----------------------------------------------------------------------------

F1_FLOOR = 0.85


def test_committed_metrics_belong_to_the_committed_head_and_clear_the_floor() -> None:
    metrics = json.loads(METRICS_FILE.read_text())
    assert metrics["head_sha256"] == file_digest(HEAD_FILE), (
        "models/rubric_head.npz changed without re-running "
        "`python -m models.evaluate --metrics-out models/metrics.json`"
    )
    assert MODEL_VERSION.split("-")[1] == metrics["features_version"]
    post = metrics["post_level"]
    both = metrics["pooled_real_cv_and_demo"]
    for name in SECTIONS:
        ours = post["ours"][name]["f1"]
        assert ours >= F1_FLOOR, (name, ours)
        for baseline in SYSTEMS[1:]:
            # on the 35 real posts a tie is possible (both miss the same post); with the demo posts
            # added, ours must be strictly better
            assert ours >= post[baseline][name]["f1"], (name, baseline)
            assert both["ours"][name]["f1"] > both[baseline][name]["f1"], (name, baseline)


def test_shipped_head_meets_the_demo_course_expectations() -> None:
    docs = demo_posts()
    results = checker().check_many([(d.article, "") for d in docs])
    misses = []
    for d, v in zip(docs, results, strict=True):
        handle = d.name.split("__")[0]
        for name, expected in DEMO_EXPECTED[handle].items():
            if v.sections[name].present != expected:
                misses.append((handle, name, v.sections[name].confidence))
    assert misses == []
    meiling = results[[d.name.split("__")[0] for d in docs].index("meilingchen")]
    assert meiling.sections["movie_example"].confidence < 0.5


def test_paragraph_labels_match_the_segmentation_of_the_shared_corpus() -> None:
    root = shared_path("corpus", "posts")
    labels = read_paragraph_labels(LABEL_FILE)
    assert len(labels) == 35
    for name, rows in labels.items():
        paras = paragraphs(load_document(root / name))
        assert sorted(rows) == list(range(len(paras))), name
        for index, (label, sha) in rows.items():
            assert label in (*SECTIONS, "other")
            assert paras[index].sha == sha, (name, index)


@pytest.mark.parametrize("name", ["full", "passing_mention"])
def test_evidence_comes_from_the_post(name: str) -> None:
    article = POSTS[name][0]
    texts = " ".join(" ".join(b.text.split()) for b in article.blocks)
    for section in verdict(name).sections.values():
        if section.evidence:
            assert section.evidence.rstrip(" …") in texts
