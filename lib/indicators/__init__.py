"""Indicator families computed from tidy tables (one module per family)."""
