"""Reference data of the access engine: categories, life-circle figures (YAML, with sources)."""
