"""Frameworks shipped with EcoCité (YAML files; this folder is a package so they install)."""
