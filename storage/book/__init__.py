"""The book itself: its tables (models), opening a file or a server, migrations, the errors a rep
reads, the fixed words (vocabulary), where files live and what time it is."""
