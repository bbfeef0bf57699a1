"""The pure-Python domain core: no Django, no clock, no I/O beyond reading content text.

Frozen dataclasses in, frozen dataclasses out. Django code adapts models to these types in each
app's ``services.py``.
"""
