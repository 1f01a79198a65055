"""Word lists and cue patterns of the comment judge (hand-written; English comments).

Cues are regular expressions matched case-insensitively on word boundaries. They only count
occurrences: the trained head decides how much each family weighs, and the reasons name what matched.
"""

from __future__ import annotations

import re

# Generic praise and thanks: a comment made only of these says nothing about the post.
PRAISE = re.compile(
    r"\b(?:"
    r"(?:great|nice|good|awesome|amazing|excellent|fantastic|brilliant|solid|cool|interesting|wonderful)"
    r"\s+(?:post|blog|article|job|work|read|write-?up|content|tutorial|guide|explanation|resource|tool"
    r"|project|demo|review|introduction|stuff|one|topic|info|information|tips?|piece|overview)"
    r"|well[\s-](?:done|written|explained|organi[sz]ed|structured|researched|put|presented)"
    r"|(?:very|really|super|so|quite|extremely)\s+(?:informative|helpful|useful|interesting|clear|cool|nice"
    r"|good|detailed|insightful|thorough|practical|impressive|engaging|well)"
    r"|informative|insightful|thank(?:s|\s+you)(?:\s+(?:so\s+much|a\s+lot|for\s+(?:sharing|this|the|writing"
    r"|posting|putting)))?|thx|tnx|ty"
    r"|love[ds]?\s+(?:it|this|the)|awesome|amazing|excellent|fantastic|brilliant|impressive|wow|kudos"
    r"|learn(?:ed|t)\s+(?:a\s+lot|something)|keep\s+(?:it\s+up|up\s+the\s+good\s+work)|looks\s+(?:good|great)"
    r"|easy\s+to\s+(?:follow|understand|read)|bookmark(?:ed)?|congrat(?:s|ulations)|enjoy(?:ed)?\s+(?:it|this"
    r"|reading)|pleasure\s+to\s+read|full\s+marks|proud\s+of|good\s+luck|great|neat"
    r")\b",
    re.IGNORECASE,
)

SUGGESTION = re.compile(
    r"\b(?:you\s+(?:could|might|may|can|should)|might\s+want|may\s+want|consider(?:ing)?|i'?d\s+suggest"
    r"|i\s+would\s+(?:suggest|add|recommend|use)|i\s+suggest|have\s+you\s+(?:tried|considered|looked|thought)"
    r"|why\s+not|instead(?:\s+of)?|it\s+would\s+(?:be|help|make)|would\s+(?:make|help|avoid|be\s+(?:better"
    r"|good|nice|worth|interesting|useful|more))|worth\s+(?:mentioning|adding|noting|trying|a\s+look|checking)"
    r"|maybe\s+(?:add|try|use|mention|show|say|reframe)|could\s+(?:add|try|use|show|mention)|should\s+(?:pin"
    r"|add|use|mention|show|be)|recommend(?:ed)?\s+(?:using|adding|to)|try(?:ing)?\s+(?:using|it|with)"
    r"|i'?d\s+(?:add|use|like\s+to\s+see|be\s+careful)|be\s+careful|look\s+(?:at|into))\b",
    re.IGNORECASE,
)

REASONING = re.compile(
    r"\b(?:but|however|although|though|because|since|whereas|unless|otherwise|which\s+means|so\s+that"
    r"|disagree|not\s+(?:sure|convinced|quite|really)|push\s+back|actually|i\s+think|i'?d\s+argue"
    r"|on\s+the\s+other\s+hand|in\s+contrast|except|if\s+\w+|depends\s+on|the\s+problem\s+is|the\s+issue\s+is)\b",
    re.IGNORECASE,
)

EXPERIENCE = re.compile(
    r"\b(?:in\s+(?:my|our)\s+(?:own\s+)?(?:project|team|experience|setup|pipeline|case|milestone|work|tests?"
    r"|company|lab|code|repo|system)|(?:i|we)\s+(?:tried|used|ran|found|saw|hit|had|built|measured|got"
    r"|noticed|switched|moved|use|run|set)|(?:i|we)'ve\s+(?:used|seen|tried|had|hit)|our\s+(?:team|project"
    r"|pipeline|setup|kafka|code|service|model|system|own)|my\s+(?:team|project|setup|experience)"
    r"|when\s+(?:i|we)|for\s+us|happened\s+to\s+(?:me|us)|failed\s+for\s+me|worked\s+for\s+(?:me|us))\b",
    re.IGNORECASE,
)

# Pointing out a problem: an error, something missing, wrong or outdated.
CRITIQUE = re.compile(
    r"\b(?:(?:does|do|did|is|are|was|were|could|can|would|will)(?:n't|\s+not)\s+(?:work|see|show|run|compile"
    r"|load|find|match|exist|scale|handle|help)|not\s+working|error|exception|fails?|failed|failing|broken|bug"
    r"|crash(?:es|ed)?|missing|forg[eo]t(?:ten)?|typo|should\s+read|wrong|incorrect|outdated|out\s+of\s+date"
    r"|deprecated|404|too\s+bad|downside|drawback|unclear|confus(?:ing|ed)|still\s+(?:don't|doesn't|can't|get)"
    r"|(?:can't|cannot|unable\s+to)\s+(?:get|find|see|make|run)|leaks?|overstate|optimistic|misleading"
    r"|isn't|aren't|doesn't|won't|can't|never)\b",
    re.IGNORECASE,
)

URL = re.compile(r"https?://\S+|www\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)

# A question asked without a question mark.
INDIRECT_QUESTION = re.compile(
    r"\b(?:i\s+(?:was|am|'m)\s+wondering|i\s+wonder|wondering\s+(?:if|whether|where|how|why|what)"
    r"|any\s+idea|anyone\s+know|does\s+anyone|can\s+(?:i|you)\s+know|please\s+(?:tell|explain|help|advise)"
    r"|kindly\s+(?:advise|help|tell))\b",
    re.IGNORECASE,
)

# Code-like tokens: snake_case, camelCase, InnerCaps, dotted names and files, calls, flags, `code`,
# acronyms and numbers.
IDENTIFIER = re.compile(
    r"`[^`\n]{1,80}`"
    r"|\b[A-Za-z]\w*_\w+\b"
    r"|\b[a-z]+[A-Z]\w*\b"
    r"|\b[A-Z][a-z]+[A-Z]\w*\b"
    r"|\b[A-Za-z_]\w*\.[A-Za-z_]\w*(?:\.\w+)*\b"
    r"|\b\w+\(\)"
    r"|(?<![\w-])--?[a-z][\w-]+"
    r"|\b[A-Z]{2,}[A-Z0-9]*\b"
    r"|@\w+"
    r"|\b\w+=\w+"
    r"|\b\d+(?:[.,]\d+)*%?"
)

# Words every comment on this course may use without engaging with a post: the assignment's own
# vocabulary (rubric, scenario, genre of the text). They never count as rare or grounding words.
_COURSE_WORDS = """
post posts blog blogs article articles write writing written writeup read reading reader readers
tool tools tooling example examples section sections part parts problem problems strength
strengths limitation limitations weakness weaknesses pros cons advantage advantages disadvantage
disadvantages movie movies film films streaming stream recommendation recommendations
recommender recommend scenario scenarios machine learning ml mlops production system systems
model models data dataset datasets pipeline pipelines feature features user users platform
platforms company companies industry team teams project projects assignment course class
classmate classmates semester explanation explanations explain explained structure structured
introduction conclusion overall topic topics tutorial tutorials guide guides demo demonstration
code snippet snippets screenshot screenshots image images picture pictures detail details
detailed concept concepts idea ideas future useful helpful interesting informative important
great nice good awesome amazing cool clear easy effort content contents approach application
applications technology technologies engineer engineers engineering developer developers
scientist scientists ai lifecycle practice practical work works job jobs thing things way ways
lot lots time everything anyone everyone definitely really very super overall well thanks thank
sharing share
"""
COURSE_GENERIC = frozenset(_COURSE_WORDS.split())

# Prototypes of generic comments: the judge measures how close a comment sits to them in the
# sentence-embedding space (written for this purpose; none comes from a labelled set).
PRAISE_PROTOTYPES = (
    "Great post!",
    "Very informative, thanks for sharing.",
    "Well written and easy to follow.",
    "Nice work, I learned a lot.",
    "Thank you for this helpful post.",
    "Looks good to me!",
    "Awesome blog, keep it up!",
    "This was a really interesting read, good job.",
    "Great job explaining the tool, very clear and detailed.",
    "I enjoyed reading this, the structure is clear and the examples are helpful.",
    "Amazing content, thanks a lot for writing this.",
    "Nice post, this tool seems really useful.",
    "Good explanation of the problem and the solution, well done.",
    "Thanks, this is very helpful!",
    "Cool project, congratulations!",
    "I will definitely use this in the future, thanks for sharing.",
)
