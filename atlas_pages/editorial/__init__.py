"""The editorial site: page types (``pages``, ``articles``), StreamField blocks (``blocks``), the
padlock (``padlock``), feeds (``feeds``), the pages API (``api``) and what it and the views ask
of the pages (``services``, ``representation``), the site search (``views``)."""
