"""One app panel per notebook; each composes the shared widgets around a few roi_kit calls."""
