"""The shared kernel: what every CNCD plugin may import.

Domain errors and their HTTP mapping (``exceptions``), the API's auth classes (``auth``), paging
(``paging``), input schemas (``schemas``), form feedback (``feedback``), uploads (``uploads``),
admin helpers (``admin_helpers``), countries (``countries``), themes (``themes``), rate limits
(``throttle``), links in e-mails (``links``), the mail room (``mail``) and the written contract of
the ``cncd_*`` hooks (``hooks``). Nothing here imports the editorial pages, the Atlas or another app.
"""
