"""Seeded sample data with known ground truth (filled in by the datasets module)."""
