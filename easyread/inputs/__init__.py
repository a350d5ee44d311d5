"""Stage 1, load: the input models, reading YAML and JSON with their line numbers, the limits on what
easyread is given, pictures, and the profiles and house styles that come as files."""
