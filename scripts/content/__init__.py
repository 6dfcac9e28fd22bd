"""Content generated or checked from data files, as opposed to snippet checks of code blocks.

Why a package: statements on pages that have a single primary source (feature-gate states
today) are rendered from data here, so they cannot drift from that source.
"""
