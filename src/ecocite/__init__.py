"""EcoCité: co-build and label low-carbon eco-cities.

The engines (frameworks, cities, data, assessment, carbon, access, participation, reports) take
and return plain data and never import the web application.
"""

__version__ = "0.1.0"
