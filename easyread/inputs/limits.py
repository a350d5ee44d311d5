"""The limits easyread enforces on what it is given, checked before the work, so hostile or
broken input gets one clear error (exit 2) rather than exhausting the machine.

Real plans are far inside every limit: the largest example is 30 KB with fields of a few
hundred characters. Each limit is documented in the README ("Limits").
"""

from __future__ import annotations

# --- plans, reviews, letters, house styles, profiles (YAML or JSON) ---------------------------
MAX_INPUT_BYTES = 2_000_000  # a whole input file or text
MAX_FIELD_CHARS = 20_000  # one text field: about 3,000 words
MAX_TITLE_CHARS = 200  # a title, and a person's name and known_as (titles are made of them): Word's title holds 255
MAX_LIST_ITEMS = 1_000  # items in one list (needs, timetable slots, contacts ...)
MAX_DEPTH = 40  # nesting of mappings and lists
MAX_ALIASES = 100  # YAML aliases (*name) in one file: more is a "billion laughs" bomb, not a plan
MAX_NODES = 200_000  # values in one file, aliases expanded
MAX_INTEGER_DIGITS = 15  # an amount or a count never needs more

# --- pictures (a person's photos, a council's symbols and logo) --------------------------------
MAX_PICTURE_BYTES = 20 * 1024 * 1024
MAX_PICTURE_SIDE = 8000  # pixels
MAX_PICTURE_PIXELS = 16_000_000  # after decoding: 16 MP is a 300 dpi A4 photo twice over
MAX_SVG_BYTES = 1_000_000  # a symbol is a few KB
MAX_SVG_ELEMENTS = 100_000  # an SVG's elements once each <use> is followed: more is a "billion laughs" of <use>

# --- templates -----------------------------------------------------------------------------------
MAX_TEMPLATE_BYTES = 1_000_000  # one template file (the shipped ones are under 10 KB)
MAX_TEMPLATE_OUTPUT_CHARS = 5_000_000  # the markup one render makes (and any one string or list in it)
MAX_TEMPLATE_WORK = 100_000_000  # what one render makes in all, every string, list and piece of output on the way
MAX_TEMPLATE_NUMBER_DIGITS = 1_000  # an integer a template computes (a power, a product)
TEMPLATE_SECONDS = 20  # one template render

# --- house style ---------------------------------------------------------------------------------
MAX_BODY_PT = 72  # the largest print a person's needs may ask for
