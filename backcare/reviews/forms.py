from django import forms
from django.utils.translation import gettext_lazy as _


class RefuseForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label=_("Why refuse? (kept with the proposal)"),
        error_messages={"required": _("Say why, so the next review can take it into account.")},
    )
