"""Form helpers: Bootstrap classes and Chinese date inputs, and service errors onto forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs_html(attrs: dict) -> str:
    """Django's widgets/attrs.html: `False` left out, `True` as a bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select drawn in Python with the markup of Django's select templates: a list's
    filter bar has half a dozen selects of up to two hundred options, and through the
    template language each option is two template inclusions."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                    "\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BootstrapMixin:
    """Adds Bootstrap classes to every widget; date fields get a native date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def apply_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form, if unknown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submit(request, form, save, message=None) -> tuple[bool, object]:
    """The POST of a page whose form runs one service: `save(cleaned_data)` when the form was
    posted and is valid. Returns (True, what the service returned), with `message` (text, or
    a callable of that result) flashed; otherwise (False, None), the form then carrying the
    service's Chinese messages on its fields, so the page is shown again."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False, None
    if message is not None:
        from django.contrib import messages

        messages.success(request, message(result) if callable(message) else message)
    return True, result


def form_page(request, form, save, message, *, done, template: str, context: dict):
    """A whole page of one form and one service: `submit`, then to `done` (a URL, or a
    callable of the service's result giving one) once saved, or the form shown again with
    `context` around it."""
    from django.shortcuts import redirect, render

    saved, result = submit(request, form, save, message)
    if saved:
        return redirect(done(result) if callable(done) else done)
    return render(request, template, {"form": form, **context})


def record_page(
    request, form, save, message, template: str, record, *, name: str, detail: str, **context
):
    """`form_page` for a form about one record (`record` None: a new one, the service's
    result): it stands in the page as `name`, and its `detail` page follows the save."""
    from django.urls import reverse

    return form_page(
        request,
        form,
        save,
        message,
        done=lambda result: reverse(detail, args=[(record or result).pk]),
        template=template,
        context={name: record, **context},
    )
