"""Four questionnaires to start from (issue 15): client experience (Wmo/Jeugd style), experience card,
customer journey and real-time NPS. A coordinator picks one in the admin; it becomes an ordinary
questionnaire they can change. Texts are B1 and in the language the coordinator works in."""

from django.utils.translation import gettext as _

from .models import Questionnaire


def _q(block_type, code, question, **extra):
    value = {"code": code, "question": question, "help": extra.pop("help", ""), "required": extra.pop("required", False),
             "show_if_code": extra.pop("show_if_code", ""), "show_if_value": extra.pop("show_if_value", "")}
    value.update(extra)
    return {"type": block_type, "value": value}


def _about_you():
    return [
        _q("demographic", "age", _("How old are you?"), kind="age_band"),
        _q("demographic", "gender", _("What is your gender?"), kind="gender"),
        _q("demographic", "wijk", _("In which wijk do you live?"), kind="wijk"),
    ]


def client_experience():
    yes, no = _("Yes"), _("No")
    return {
        "title": _("Your experience with support from the municipality"),
        "introduction": _("You had contact with us about support (Wmo or youth care). We would like to know how "
                          "that went. It takes about 5 minutes. Your answers are anonymous."),
        "body": [
            _q("single_choice", "topic", _("What was your contact about?"), required=True,
               choices=[_("Help at home"), _("Aids or adjustments at home"), _("Transport"), _("Youth care"),
                        _("Something else")]),
            _q("likert", "listened", _("The municipality listened well to me."), required=True),
            _q("likert", "clear", _("I understood what would happen next."), required=True),
            _q("likert", "helps", _("The support helps me in my daily life."), required=True),
            _q("single_choice", "helped_fill", _("Did someone help you fill in this list?"), choices=[yes, no]),
            _q("nps", "grade", _("Which mark do you give the support? (0 = very bad, 10 = very good)"), required=True),
            _q("long_text", "better", _("What could we do better?")),
            *_about_you(),
        ],
    }


def experience_card():
    return {
        "title": _("Experience card"),
        "introduction": _("A quick card: what did you expect, what happened, and how was it for you?"),
        "body": [
            _q("matrix", "card", _("How was it for you?"), required=True,
               rows=[_("What I expected beforehand"), _("What came out of it"), _("How I was treated"),
                     _("How long it took")], scale=[]),
            _q("short_text", "one_thing", _("What is the one thing we should keep doing?")),
            _q("short_text", "change", _("What is the one thing we should change?")),
            *_about_you(),
        ],
    }


def customer_journey():
    return {
        "title": _("Customer journey"),
        "introduction": _("Think back to each step of your application. Give each step a mark for how you were "
                          "treated, for communication and information, and for expertise."),
        "body": [
            _q("journey", "journey", _("How did each step go?"), required=True,
               phases=[_("Applying"), _("The conversation"), _("The decision"), _("Getting the support")]),
            _q("single_choice", "again", _("Would you go through it the same way again?"), required=True,
               choices=[_("Yes"), _("No"), _("I do not know")]),
            _q("long_text", "why_not", _("Why not?"), show_if_code="again", show_if_value=_("No")),
            *_about_you(),
        ],
    }


def realtime_nps():
    return {
        "title": _("How was your visit?"),
        "introduction": _("One question about your visit today. It takes less than a minute."),
        "body": [
            _q("nps", "nps", _("Would you recommend our service desk to a friend? (0 = certainly not, 10 = certainly)"),
               required=True),
            _q("short_text", "reason", _("What is the main reason for your mark?")),
        ],
    }


TEMPLATES = {
    "client_experience": (client_experience, lambda: _("Client experience (Wmo / youth care)")),
    "experience_card": (experience_card, lambda: _("Experience card")),
    "customer_journey": (customer_journey, lambda: _("Customer journey")),
    "realtime_nps": (realtime_nps, lambda: _("Real-time NPS at a service desk")),
}


def choices():
    return [(key, label()) for key, (_build, label) in TEMPLATES.items()]


def body_data(key):
    """The template as StreamField raw data (lists of plain strings become ListBlock items)."""
    spec = TEMPLATES[key][0]()
    return spec


def create_from_template(key, title=None):
    spec = body_data(key)
    questionnaire = Questionnaire(title=title or spec["title"], introduction=spec["introduction"])
    questionnaire.body = spec["body"]
    questionnaire.save()
    return questionnaire
