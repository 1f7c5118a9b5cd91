"""The io room: reading files (YAML, CSV, Turtle, N-Triples, JSON-LD), checking them, loading them
into a store, exporting and writing output files.
"""
