"""`{% load sip_tags %}{% sip_overdue %}`: the start page's list of what has drifted, for the
coordinator and the overall responsible person (case numbers only, never a name)."""

from django import template

from ..selectors import overdue_for

register = template.Library()


@register.inclusion_tag("sip/_overdue.html", takes_context=True)
def sip_overdue(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"overdue": None}
    return {"overdue": overdue_for(user)}
