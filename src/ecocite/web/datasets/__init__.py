"""City datasets: uploads of indicator values and their records."""
