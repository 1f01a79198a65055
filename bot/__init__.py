"""Reviewbot: runs peer review of student blog posts for a course."""
