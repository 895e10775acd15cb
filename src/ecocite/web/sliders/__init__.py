"""Scenario sliders on the web: a site of a process, visions people submit, their distribution."""
