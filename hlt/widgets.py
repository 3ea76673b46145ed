"""Form widgets that render the same markup as Django's own, faster.

Django renders a `<select>` through one template per `<option>`: a filter with 200 people
costs several milliseconds of CPU on every page view. `PlainSelect` writes the same markup
(Django's select.html, select_option.html and attrs.html) in Python, escaped by format_html;
`PlainInput` does the same for a text input (input.html and attrs.html).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values = set(self.format_value(value))
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        # Django's optgroups() and create_option() without a dict per option: the first
        # option whose value matches is selected (all of them for a multiple select).
        has_selected = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', group_value))
                options = group_label
            else:
                options = [(group_value, group_label)]
            for option_value, label in options:
                option_value = "" if option_value is None else str(option_value)
                selected = (not has_selected or self.allow_multiple_selected) and (
                    option_value in values
                )
                has_selected |= selected
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option_value,
                        " selected" if selected else "",
                        label,
                    )
                )
            if isinstance(group_label, (list, tuple)):
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


class PlainInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        parts = [format_html('<input type="{}" name="{}"', widget["type"], widget["name"])]
        if value is not None:
            parts.append(format_html(' value="{}"', str(value)))
        # attrs.html's order (flatatt sorts them).
        for key, attr in widget["attrs"].items():
            if attr is True:
                parts.append(format_html(" {}", key))
            elif attr is not False and attr is not None:
                parts.append(format_html(' {}="{}"', key, str(attr)))
        parts.append(">")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)
