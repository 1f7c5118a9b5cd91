"""The SPARQL room: the shipped ``.rq`` catalogue (``named``) and ad-hoc queries (``adhoc``), on
one header parser (``header``), one parameter binder (``bind``), one guard that refuses updates
and SERVICE (``guard``) and one runner (``run``).
"""
