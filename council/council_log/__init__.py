"""The public council log kept by the secretary and deputy: entries (validated), their
versioned store beside the uploads (data/uploads.db), markdown and CSV exports, and entries
suggested from the data."""
