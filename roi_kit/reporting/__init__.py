"""Automated, self-contained reports (used by the ``roi-kit`` command line)."""
