"""The statistics pages' parameters: the as-of day and the period, named `date`, `from` and
`to` in the query string as in the API and `dangjian stats` (INTERFACES 3 and 7)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin

EARLIEST = dt.date(1921, 7, 1)
LATEST = dt.date(2100, 12, 31)


class StatsParamsForm(BootstrapMixin, forms.Form):
    """Bound to a query string with `params(request.GET)`; every field may be empty."""

    date = forms.DateField(label=_("统计日期"), required=False)
    date_from = forms.DateField(label=_("统计期间开始"), required=False)
    date_to = forms.DateField(label=_("统计期间结束"), required=False)

    @classmethod
    def params(cls, query) -> "StatsParamsForm":
        return cls(
            data={
                "date": query.get("date", ""),
                "date_from": query.get("from", ""),
                "date_to": query.get("to", ""),
            }
        )

    def clean(self):
        data = super().clean()
        for name in ("date", "date_from", "date_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("日期超出范围"))
        start, end = data.get("date_from"), data.get("date_to")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("统计期间的开始和结束日期须同时填写"))
        if start and end and start > end:
            raise forms.ValidationError(_("统计期间开始日期不能晚于结束日期"))
        return data


def day_and_period(form: StatsParamsForm, today: dt.date, *, period_ends_on_day: bool):
    """(as_of, period) from a valid form, with the defaults: the day is today (or the end of
    a given period); the period is the day's calendar year, up to the day itself when
    `period_ends_on_day` (a report written mid-year covers the year so far)."""
    data = form.cleaned_data
    start, end = data.get("date_from"), data.get("date_to")
    day = data.get("date") or end or today
    if start is None:
        start = dt.date(day.year, 1, 1)
        end = day if period_ends_on_day else dt.date(day.year, 12, 31)
    return day, (start, end)
