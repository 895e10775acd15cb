"""Earlier versions of the bundled frameworks, kept so that assessments made with them still read."""
