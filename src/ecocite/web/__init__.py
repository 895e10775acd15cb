"""The EcoCité web platform: a Django project with one app per capability."""
