"""The eco-city label in the platform: programmes, applications, reviews, jury, registry."""
