"""Scenario sliders on the web: a site of a process, participants\x27 visions, their distribution."""
