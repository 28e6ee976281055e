"""The shared ground every app stands on: day boundaries, form styling, the transition
runner, the read-only admin, and the PDF and spreadsheet renderers. It imports no app."""
