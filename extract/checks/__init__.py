"""Checking an extraction: scores against a gold set (evaluate) and the figures of one report explained."""
