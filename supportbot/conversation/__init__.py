"""The conversation core: what the bot says and decides, for every chat front end.

- ``grammar``: what people type → a ``Command``
- ``people``: who is talking (``Person``), their locale, whether they are an agent
- ``replies``: every reply and button action, as data
- ``dispatch``: command or action + person → replies (the product rules)
- ``case_views``: cases as chat shows them
- ``outbox``: what the bot sends on its own about cases, and to whom
- ``platforms``: the interface a chat platform implements, and the registry
- ``wording``: everything the bot says, in both languages
- ``recording``: answer statistics
"""
