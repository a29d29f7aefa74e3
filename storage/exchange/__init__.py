"""Files in and out: CSV, vCard and our JSON coming in (through one import path), CSV, JSON and
iCalendar going out, backups."""
