"""Form widgets that render the same markup as Django's own, faster.

Django renders a `<select>` through one template per `<option>`: a filter with 200 people
costs several milliseconds of CPU on every page view. `PlainSelect` writes the same markup
(Django's select.html, select_option.html and attrs.html) in Python, escaped by format_html;
`PlainInput` does the same for a text input (input.html and attrs.html).
"""

import html

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
                # Plain escaping: format_html's lazy wrappers cost more than the option.
                parts.append(
                    f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                    f"{escape(label)}</option>"
                )
            if isinstance(group_label, (list, tuple)):
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped)


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


def escape(value) -> str:
    """conditional_escape without its lazy-string wrappers (a thousand calls a page): for
    markup written in Python (these widgets, the case list's rows, the inbox's tasks)."""
    if type(value) is int:
        return str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """Django's attrs.html: `name` for True, nothing for False, else name="value"."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's checkbox_select.html (multiple_input.html, input_option.html, input.html,
    attrs.html) written in Python, and its options (ChoiceWidget.optgroups and
    create_option) without a dictionary each: a list of a municipality's professionals is
    over a thousand checkboxes, which Django renders through four templates each."""

    def render(self, name, value, attrs=None, renderer=None):
        base = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        keys = list(base)
        at = keys.index("id") if "id" in base else len(keys)
        before = _attrs({k: base[k] for k in keys[:at]})
        after = _attrs({k: base[k] for k in keys[at + 1 :]})
        checked = _attrs(self.checked_attribute)
        start = f'<input type="{escape(self.input_type)}" name="{escape(name)}"'

        def option(value, label, index: str) -> str:
            value = "" if value is None else value
            if "id" in base:
                label_id = escape(self.id_for_label(base["id"], index))
                opening = f'<label for="{label_id}">' if label_id else "<label>"
                id_attr = f' id="{label_id}"'
            else:
                opening, id_attr = "<label>", ""
            ticked = checked if str(value) in selected else ""
            return (
                f'<div>\n    {opening}{start} value="{escape(value)}"{before}{id_attr}{after}'
                f"{ticked}>\n {escape(label)}</label>\n\n</div>"
            )

        parts = [
            "<div",
            f' id="{escape(base["id"])}"' if base.get("id") else "",
            f' class="{escape(base["class"])}"' if base.get("class") else "",
            ">",
        ]
        for index, (choice_value, choice_label) in enumerate(self.choices):
            if isinstance(choice_label, (list, tuple)):
                parts.append(f"\n  <div><label>{escape(choice_value)}</label>")
                parts.extend(
                    option(sub_value, sub_label, f"{index}_{sub}")
                    for sub, (sub_value, sub_label) in enumerate(choice_label)
                )
                parts.append("\n  </div>")
            else:
                parts.append(option(choice_value, choice_label, str(index)))
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by escape)
