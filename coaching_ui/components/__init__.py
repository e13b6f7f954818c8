"""Widgets of the coaching view: one module per page, the bits several pages share in `common`.

Pages call these so they read like a description of the UI; nothing here touches SQL.
"""
