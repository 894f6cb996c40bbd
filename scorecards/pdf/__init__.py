"""PDFs for procurement: the supplier scorecard and the agreement renewal pack (ReportLab).

The caller passes the CJK TrueType font's path and chooses the language (``force_locale`` at
the edge); every text here goes through gettext, every number through ``layout.number``.
"""
