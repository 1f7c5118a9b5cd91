"""The SPARQL room: the shipped ``.rq`` catalogue, its header contract, parameter binding, the
runner and the guard that refuses updates and SERVICE.
"""
