"""The office's paper: documents (文书) as sent, with their numbers and exact bytes; the
ledger (台账) as xlsx; and the year-end archive."""
