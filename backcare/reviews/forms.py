from django import forms


class RefuseForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        label="Why refuse? (kept with the proposal)",
        error_messages={"required": "Say why, so the next review can take it into account."},
    )  # fmt: skip
