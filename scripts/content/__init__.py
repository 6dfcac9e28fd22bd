"""Generators of site content from data files and page front matter.

Why a package: these modules turn project data (ports, glossary, curricula, page front matter,
drills) into Markdown that the build inserts; they are pure functions, separate from the build
glue (the MkDocs hooks) and from the snippet checks, so tests can call them without a build.
"""
