"""Telling a person something: in-app notifications and their mail, which any app may send."""
