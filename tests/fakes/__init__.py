"""Fakes of outside systems, served over loopback HTTP for the real client libraries."""
