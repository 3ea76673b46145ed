"""The family's questionnaire at every follow-up: fixed questions on a 1–5 scale.

The codes are stored with the answers and never change, so term statistics can compare
answers over time. Change a wording only if the meaning stays the same; a new question
gets a new code.
"""

from django.utils.translation import gettext_lazy as _

SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {1: _("1 – not at all"), 5: _("5 – completely")}

QUESTIONS: tuple[tuple[str, str], ...] = (
    ("listened", _("We felt listened to.")),
    ("understood", _("We understood what was decided and why.")),
    ("together", _("The agencies worked together well.")),
    ("helped", _("The support has helped our child.")),
    ("influence", _("Our child could say what they think.")),
)
QUESTION_CODES = tuple(code for code, _text in QUESTIONS)
