"""The Atlas of decentralised cooperation: its records (``models``) and page (``page``), search
and filters (``search``), the summary index (``index``), CSV import and export (``csv_files``),
PDF exports (``pdf``), the demo generator (``generate``), geography (``geography``), the API
(``api``), the front end (``front``) and its admin (``wagtail_hooks``)."""
