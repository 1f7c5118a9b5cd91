"""The RDF room: the mapping between the typed models and RDF, driven by the models' field table."""
