"""How a Document is shown and said, decided once for every format: the layout, the fonts, the
spaces that keep a number whole, and the speech script."""
