"""The inbox's task rows, written in Python: a coordinator has dozens of tasks, and the
template engine's cost per row (about a dozen variable lookups, two date filters, a
translation) made them a third of the start page's CPU. The markup is what
`workday/_inbox.html` wrote before, escaped the same way as the template's autoescape
(hlt.widgets.escape: conditional_escape without its lazy wrappers)."""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from hlt.widgets import escape

register = template.Library()


@register.simple_tag
def task_items(tasks) -> SafeString:
    overdue_tag = '<strong class="tag overdue-tag">{}</strong> '.format(escape(gettext("Overdue")))
    no_date = '<span class="muted">{}</span>'.format(escape(gettext("no date")))
    parts = []
    for task in tasks:
        if task.due:
            day = f"{task.due:%Y-%m-%d}"
            due = f'<time datetime="{day}">{day}</time>'
        else:
            due = no_date
        label = escape(task.kind_label)
        if task.case_id:
            label += ": " + escape(task.case_number)
            if task.child_label:
                label += " – <bdi>" + escape(task.child_label) + "</bdi>"
        parts.append(
            f'<li class="task{" is-overdue" if task.overdue else ""}">\n'
            f'      <span class="task-due">{overdue_tag if task.overdue else ""}{due}</span>\n'
            f'      <span class="task-body"><a href="{escape(task.url)}">{label}</a>\n'
            f'      <span class="task-text">{escape(task.text)}</span></span>\n'
            "    </li>\n  "
        )
    return SafeString("".join(parts))
