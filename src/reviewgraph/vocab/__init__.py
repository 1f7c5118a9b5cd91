"""The vocabulary room: the rg: namespace, the SKOS concepts, the ontology and the shipped files.

Nothing here knows about files, stores or the analysis; every other room may import it.
"""
