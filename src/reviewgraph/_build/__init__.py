"""Build tools, not used at run time: the generated ontology artefacts and reference pages.

Run ``python -m reviewgraph._build [ROOT]`` from the repository root to rewrite them.
"""
