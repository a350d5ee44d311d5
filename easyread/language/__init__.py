"""English as the other stages need it: sentence splitting, word familiarity and syllables."""
