"""Greenhouse-gas inventories and low-carbon pathways of the cities."""
