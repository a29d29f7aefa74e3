"""Everything the book remembers, and the rules of what may be recorded. Imports no Textual."""
