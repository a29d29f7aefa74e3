"""Pure rules: dates people type, cadence, reach, promises, tags, text, derived fields.
Nothing here imports Peewee, the models or a screen, and nothing does I/O but what a caller names."""
