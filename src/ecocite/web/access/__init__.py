"""Walking access on the web: OSM extracts attached to a city, analysed in a background job."""
